import { z } from 'zod'

// The fields of a discussion record (declared in core/schema/discussion.ts) that the transcript
// pages read. The contract carries records as JSON objects; the renderer may not import core, so
// this reads them leniently: a field it does not know never hides a discussion.

const Timings = z
  .object({
    started_at: z.string().optional(),
    finished_at: z.string().optional(),
    prompt_tokens: z.number().optional(),
    reused_prompt_tokens: z.number().optional(),
    generated_tokens: z.number().optional(),
    time_to_first_token_ms: z.number().optional(),
    duration_ms: z.number().optional()
  })
  .partial()

export const CommentViewSchema = z.object({
  index: z.number(),
  author: z.string(),
  role: z.string().catch('user'),
  text: z.string(),
  raw_text: z.string().optional(),
  model: z.string().nullable().catch(null).default(null),
  reply_to: z.number().nullable().catch(null).default(null),
  seed: z.number().nullable().catch(null).default(null),
  prompt: z.string().nullable().catch(null).default(null),
  timings: Timings.optional().catch(undefined)
})

export type CommentView = z.infer<typeof CommentViewSchema>

export const ParticipantViewSchema = z.object({
  username: z.string(),
  role: z.string().catch('user'),
  persona: z.record(z.string(), z.unknown()).catch({}),
  system_prompt: z.string().nullable().catch(null).default(null)
})

export type ParticipantView = z.infer<typeof ParticipantViewSchema>

export const DiscussionViewSchema = z.object({
  id: z.string(),
  timestamp: z.string().nullable().catch(null).default(null),
  status: z.string().catch('complete').default('complete'),
  participants: z.array(ParticipantViewSchema).catch([]),
  moderator: z.string().nullable().catch(null).default(null),
  comments: z.array(CommentViewSchema),
  topic_id: z.string().nullable().catch(null).default(null),
  run_id: z.string().nullable().catch(null).default(null),
  conditions: z.record(z.string(), z.string()).catch({}).default({})
})

export type DiscussionView = z.infer<typeof DiscussionViewSchema>

/** One line of the transcript list. */
export interface DiscussionRow {
  readonly id: string
  readonly title: string
  readonly conditions: Readonly<Record<string, string>>
  readonly model: string | null
  readonly commentCount: number
  readonly participants: readonly string[]
  readonly createdAt: string | null
  readonly labelMeans: Readonly<Record<string, number>>
  readonly disagreement: number | null
  /** Persona attributes of the participants, `key=value` lower case, for filtering. */
  readonly personaAttributes: readonly string[]
  /** Everything said, lower case, for the text filter. */
  readonly haystack: string
}

function attributeStrings(persona: Record<string, unknown>): string[] {
  const entries = Object.entries(persona).flatMap(([key, value]): [string, unknown][] =>
    key === 'extra_attributes' && value !== null && typeof value === 'object' ? Object.entries(value) : [[key, value]]
  )
  return entries.flatMap(([key, value]) => {
    if (Array.isArray(value)) return value.map((item) => `${key}=${String(item)}`.toLowerCase())
    if (value === null || value === undefined || typeof value === 'object') return []
    return [`${key}=${String(value)}`.toLowerCase()]
  })
}

/** A list row from a full record; null when the record is not a readable discussion. */
export function rowFromRecord(record: unknown): DiscussionRow | null {
  const parsed = DiscussionViewSchema.safeParse(record)
  if (!parsed.success) return null
  const discussion = parsed.data
  const firstText = discussion.comments.find((comment) => comment.text.trim() !== '')?.text ?? ''
  const models = [...new Set(discussion.comments.map((comment) => comment.model).filter((model): model is string => model !== null && model !== 'hardcoded'))]
  return {
    id: discussion.id,
    title: discussion.topic_id ?? (firstText.length > 90 ? `${firstText.slice(0, 90)}…` : firstText),
    conditions: discussion.conditions,
    model: discussion.conditions['model'] ?? models[0] ?? null,
    commentCount: discussion.comments.length,
    participants: discussion.participants.map((participant) => participant.username),
    createdAt: discussion.timestamp,
    labelMeans: {},
    disagreement: null,
    personaAttributes: discussion.participants.flatMap((participant) => attributeStrings(participant.persona)),
    haystack: discussion.comments.map((comment) => comment.text).join('\n').toLowerCase()
  }
}

export interface TranscriptFilter {
  readonly text?: string
  readonly conditions?: Readonly<Record<string, string>>
  readonly model?: string | null
  /** `key=value`, e.g. `sex=female` or `political_leaning=left`. */
  readonly personaAttribute?: string
  readonly label?: { readonly name: string; readonly min?: number | undefined; readonly max?: number | undefined } | null
  readonly minDisagreement?: number | null
}

/** Parses `key=value` (spaces around either side allowed); null when there is no `=`. */
export function parseAttribute(text: string): { key: string; value: string } | null {
  const at = text.indexOf('=')
  if (at <= 0) return null
  const key = text.slice(0, at).trim()
  const value = text.slice(at + 1).trim()
  return key === '' ? null : { key, value }
}

/** Rows that pass every filter that is set (client-side filtering, when the host has no search). */
export function filterRows(rows: readonly DiscussionRow[], filter: TranscriptFilter): DiscussionRow[] {
  const text = filter.text?.trim().toLowerCase() ?? ''
  const attribute = filter.personaAttribute ? parseAttribute(filter.personaAttribute) : null
  const wanted = attribute === null ? null : `${attribute.key}=${attribute.value}`.toLowerCase()
  return rows.filter((row) => {
    if (text !== '' && !row.haystack.includes(text) && !row.id.toLowerCase().includes(text) && !row.title.toLowerCase().includes(text)) return false
    for (const [key, value] of Object.entries(filter.conditions ?? {})) if (value !== '' && row.conditions[key] !== value) return false
    if (filter.model && row.model !== filter.model) return false
    if (wanted !== null && !row.personaAttributes.includes(wanted)) return false
    if (filter.label) {
      const mean = row.labelMeans[filter.label.name]
      if (mean === undefined) return false
      if (filter.label.min !== undefined && mean < filter.label.min) return false
      if (filter.label.max !== undefined && mean > filter.label.max) return false
    }
    if (filter.minDisagreement !== undefined && filter.minDisagreement !== null && (row.disagreement === null || row.disagreement < filter.minDisagreement)) return false
    return true
  })
}

/** Every condition key with its values, sorted, for the filter menus. */
export function conditionKeys(rows: readonly DiscussionRow[]): { key: string; values: string[] }[] {
  const keys = new Map<string, Set<string>>()
  for (const row of rows) for (const [key, value] of Object.entries(row.conditions)) (keys.get(key) ?? keys.set(key, new Set()).get(key))?.add(value)
  return [...keys].sort(([a], [b]) => a.localeCompare(b)).map(([key, values]) => ({ key, values: [...values].sort() }))
}
