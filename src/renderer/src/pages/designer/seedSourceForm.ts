import { z } from 'zod'

// Where a design's discussions get their opening comments: the topic's own seed comments, or k
// consecutive comments sampled from an imported corpus (core's `factors.seed_source`).

export const SEED_ASSIGN_KINDS = ['each-discussion', 'each-replicate'] as const

export const SeedSourceFormSchema = z
  .object({
    kind: z.enum(['topic', 'corpus']),
    corpusId: z.string().nullable(),
    k: z.number('Give the number of comments').int('The number of comments is a whole number').min(1, 'At least one comment').max(50, 'At most 50 comments'),
    onlyFlagged: z.boolean(),
    /** Characters kept of each comment; null keeps whole texts. */
    truncateTo: z.number().int('A whole number of characters').min(1, 'At least one character').nullable(),
    assign: z.enum(SEED_ASSIGN_KINDS),
    reuse: z.boolean()
  })
  .superRefine((source, ctx) => {
    if (source.kind === 'corpus' && (source.corpusId === null || source.corpusId === '')) {
      ctx.addIssue({ code: 'custom', path: ['corpusId'], message: 'Choose the corpus to sample seed comments from (import one on the Corpora page)' })
    }
  })

export type SeedSourceForm = z.infer<typeof SeedSourceFormSchema>

/** SDF's 2026 experiments: a pair of consecutive comments, each cut to 500 characters. */
export const DEFAULT_SEED_SOURCE_FORM: SeedSourceForm = {
  kind: 'topic',
  corpusId: null,
  k: 2,
  onlyFlagged: false,
  truncateTo: 500,
  assign: 'each-discussion',
  reuse: false
}

/** The design's `factors.seed_source` as core's `CorpusSeedSourceSchema` reads it, or undefined for the topic's own seeds. */
export function seedSourceToDesign(source: SeedSourceForm): Record<string, unknown> | undefined {
  if (source.kind !== 'corpus' || source.corpusId === null) return undefined
  return {
    corpus_id: source.corpusId,
    k: source.k,
    only_flagged: source.onlyFlagged,
    truncate_to: source.truncateTo,
    reuse: source.reuse,
    assign: source.assign
  }
}

/** A saved design's `factors.seed_source` back into the form; missing fields take core's defaults. */
export function seedSourceFromDesign(value: unknown): SeedSourceForm {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ...DEFAULT_SEED_SOURCE_FORM }
  const source = value as Record<string, unknown>
  if (typeof source['corpus_id'] !== 'string') return { ...DEFAULT_SEED_SOURCE_FORM }
  const truncate = source['truncate_to']
  return {
    kind: 'corpus',
    corpusId: source['corpus_id'],
    k: typeof source['k'] === 'number' ? source['k'] : DEFAULT_SEED_SOURCE_FORM.k,
    onlyFlagged: source['only_flagged'] === true,
    truncateTo: truncate === null ? null : typeof truncate === 'number' ? truncate : DEFAULT_SEED_SOURCE_FORM.truncateTo,
    assign: source['assign'] === 'each-replicate' ? 'each-replicate' : 'each-discussion',
    reuse: source['reuse'] === true
  }
}
