import type { Annotation, Annotator, AttributeValue, Comment, Discussion, Participant, PersonaSnapshot } from '../schema/index.js'
import type { ExportScan } from './exportScan.js'
import { pythonListRepr } from './pythonListRepr.js'
import type { CellValue, ColumnType, TableColumn, TableDefinition } from './tableColumn.js'

/**
 * What a flat-table cell depends on: only the row's comment (its discussion, speaker and text),
 * only the row's annotator, or the row itself. Cells that depend on the comment or the annotator
 * are the same on many rows, and writers that can reuse encoded cells encode them once.
 */
export type FlatCellScope = 'comment' | 'annotator' | 'row'

/** A column and how to read its value from a row's context. */
export interface ColumnSpec<C> extends TableColumn {
  get(context: C): CellValue
  scope?: FlatCellScope
}

export interface TableSpec<C> {
  name: string
  description: string
  columns: ColumnSpec<C>[]
}

export interface DiscussionRow {
  discussion: Discussion
  annotations: number
}
export interface CommentRow {
  discussion: Discussion
  comment: Comment
}
export interface ParticipantRow {
  discussion: Discussion
  participant: Participant
}
export interface AnnotationRow {
  annotation: Annotation
  annotatorId: string
}
export interface AnnotatorRow {
  id: string
  annotator: Annotator
  count: number
}
export interface FlatRow {
  discussion: Discussion
  comment: Comment
  speaker: Participant | undefined
  userPrompt: string | null
  messageId: string
  messageOrder: number
  annotation: Annotation | undefined
}

export interface ExportTableSpecs {
  discussions: TableSpec<DiscussionRow>
  comments: TableSpec<CommentRow>
  participants: TableSpec<ParticipantRow>
  annotations: TableSpec<AnnotationRow>
  annotators: TableSpec<AnnotatorRow>
  sdf_flat: TableSpec<FlatRow>
}

/** The persona fields SDF Studio knows (spec §1.1, with v-1's `intent`), in SDF's order; `username` has its own column. */
const PERSONA_FIELDS = [
  'age',
  'sex',
  'sexual_orientation',
  'demographic_group',
  'current_employment',
  'education_level',
  'special_instructions',
  'intent',
  'personality_characteristics'
] as const

/** The trait columns of SynDisco's flat CSV (spec §1.10): SDF's persona fields, no `intent`. */
const FLAT_TRAITS = PERSONA_FIELDS.filter((field) => field !== 'intent')

function column<C>(name: string, type: ColumnType, description: string, get: (context: C) => CellValue): ColumnSpec<C> {
  return { name, type, description, get }
}

function scoped<C>(scope: FlatCellScope, spec: ColumnSpec<C>): ColumnSpec<C> {
  return { ...spec, scope }
}

/** Persona attributes as text: lists as JSON arrays, numbers and booleans as written. */
function attributeCell(value: AttributeValue | undefined): CellValue {
  if (value === undefined || value === null) return null
  if (Array.isArray(value)) return JSON.stringify(value)
  return typeof value === 'string' ? value : String(value)
}

function personaField(persona: PersonaSnapshot | null | undefined, field: string): AttributeValue | undefined {
  if (!persona) return undefined
  return (persona as unknown as Record<string, AttributeValue | undefined>)[field]
}

/** `persona_<field>` columns: SDF's fields, then every extra attribute seen (prefixed again if it would clash). */
function personaColumns<C>(
  extraKeys: readonly string[],
  personaOf: (context: C) => PersonaSnapshot | null | undefined,
  whose: string
): ColumnSpec<C>[] {
  const fixed = PERSONA_FIELDS.map((field) =>
    column<C>(`persona_${field}`, 'VARCHAR', `${whose} persona: ${field}${field === 'personality_characteristics' ? ' (JSON array)' : ''}`, (context) =>
      attributeCell(personaField(personaOf(context), field))
    )
  )
  const taken = new Set<string>(PERSONA_FIELDS.map((field) => `persona_${field}`))
  const extra = extraKeys.map((key) => {
    const name = taken.has(`persona_${key}`) ? `persona_extra_${key}` : `persona_${key}`
    taken.add(name)
    return column<C>(name, 'VARCHAR', `${whose} persona: extra attribute "${key}" (lists as JSON arrays)`, (context) =>
      attributeCell(personaOf(context)?.extra_attributes[key])
    )
  })
  return [...fixed, ...extra]
}

function labelCell(value: Annotation['values'][string] | undefined, type: ColumnType): CellValue {
  if (value === undefined || value === null) return null
  if (type === 'VARCHAR') return typeof value === 'string' ? value : String(value)
  return value
}

export function commentId(discussionId: string, index: number): string {
  return `${discussionId}:${index}`
}

/** The tables an export writes, with columns that depend on what the scan found (conditions, labels, persona attributes). */
export function exportTableSpecs(
  scan: Pick<ExportScan, 'conditionKeys' | 'participantExtraKeys' | 'annotatorExtraKeys' | 'labels'>
): ExportTableSpecs {
  const discussions: TableSpec<DiscussionRow> = {
    name: 'discussions',
    description: 'One row per discussion.',
    columns: [
      column('discussion_id', 'VARCHAR', 'Discussion id (SDF conv_id); key of this table', ({ discussion }) => discussion.id),
      ...scan.conditionKeys.map((key) =>
        column<DiscussionRow>(`condition_${key}`, 'VARCHAR', `Experimental condition: level of factor "${key}"`, ({ discussion }) => discussion.conditions[key] ?? null)
      ),
      column('status', 'VARCHAR', 'complete, running, partial or failed', ({ discussion }) => discussion.status),
      column('timestamp', 'VARCHAR', "The source's own timestamp string, verbatim (SDF: end of the run)", ({ discussion }) => discussion.timestamp),
      column('source_format', 'VARCHAR', 'Format of the file the discussion was imported from; null when generated here', ({ discussion }) => discussion.source?.format ?? null),
      column('source_file', 'VARCHAR', 'File the discussion was imported from', ({ discussion }) => discussion.source?.file ?? null),
      column('run_id', 'VARCHAR', 'Run that generated the discussion', ({ discussion }) => discussion.run_id),
      column('topic_id', 'VARCHAR', 'Topic the discussion was about', ({ discussion }) => discussion.topic_id),
      column('config_id', 'VARCHAR', 'Discussion config it was generated from', ({ discussion }) => discussion.config_id),
      column('moderator', 'VARCHAR', "Moderator's username; null without a moderator", ({ discussion }) => discussion.moderator),
      column('history_ctx_len', 'BIGINT', 'History window size (SDF ctx_length)', ({ discussion }) => discussion.history_ctx_len),
      column('context', 'VARCHAR', 'Shared context text given to every participant', ({ discussion }) => discussion.context),
      column('n_participants', 'BIGINT', 'Number of participants', ({ discussion }) => discussion.participants.length),
      column('n_comments', 'BIGINT', 'Number of comments (seeds and silent turns included)', ({ discussion }) => discussion.comments.length),
      column('n_annotations', 'BIGINT', 'Number of annotations linked to its comments', ({ annotations }) => annotations)
    ]
  }
  const timing = (field: keyof NonNullable<Comment['timings']>) => (context: CommentRow): CellValue =>
    context.comment.timings?.[field] ?? null
  const comments: TableSpec<CommentRow> = {
    name: 'comments',
    description: 'One row per comment, in log order; seeds and silent turns included.',
    columns: [
      column('comment_id', 'VARCHAR', '<discussion_id>:<comment_index>; key of this table', ({ discussion, comment }) => commentId(discussion.id, comment.index)),
      column('discussion_id', 'VARCHAR', 'Discussion the comment belongs to', ({ discussion }) => discussion.id),
      column('comment_index', 'BIGINT', 'Position in the discussion log, from 0', ({ comment }) => comment.index),
      column('author', 'VARCHAR', "Author's username", ({ comment }) => comment.author),
      column('role', 'VARCHAR', 'user, moderator or seed (written before the agents spoke)', ({ comment }) => comment.role),
      column('text', 'VARCHAR', 'Text after cleaning; empty means a silent turn', ({ comment }) => comment.text),
      column('raw_text', 'VARCHAR', 'What the model or source file produced, untouched', ({ comment }) => comment.raw_text),
      column('model', 'VARCHAR', 'Model name as recorded ("hardcoded" for SDF seed opinions)', ({ comment }) => comment.model),
      column('reply_to', 'BIGINT', 'comment_index of the comment this one replies to', ({ comment }) => comment.reply_to),
      column('seed', 'BIGINT', 'Sampling seed of the generation', ({ comment }) => comment.seed),
      column('prompt', 'VARCHAR', 'The prompt the comment was generated from, when kept', ({ comment }) => comment.prompt),
      column('timing_started_at', 'VARCHAR', 'Generation start (ISO 8601)', timing('started_at')),
      column('timing_finished_at', 'VARCHAR', 'Generation end (ISO 8601)', timing('finished_at')),
      column('timing_prompt_tokens', 'BIGINT', 'Prompt length in tokens', timing('prompt_tokens')),
      column('timing_reused_prompt_tokens', 'BIGINT', 'Prompt tokens reused from the KV cache', timing('reused_prompt_tokens')),
      column('timing_generated_tokens', 'BIGINT', 'Tokens generated', timing('generated_tokens')),
      column('timing_time_to_first_token_ms', 'DOUBLE', 'Milliseconds to the first token', timing('time_to_first_token_ms')),
      column('timing_duration_ms', 'DOUBLE', 'Milliseconds the generation took', timing('duration_ms'))
    ]
  }
  const participants: TableSpec<ParticipantRow> = {
    name: 'participants',
    description: 'One row per participant of each discussion (users and the moderator).',
    columns: [
      column('discussion_id', 'VARCHAR', 'Discussion; with username the key of this table', ({ discussion }) => discussion.id),
      column('username', 'VARCHAR', 'Name in the discussion', ({ participant }) => participant.username),
      column('role', 'VARCHAR', 'user or moderator', ({ participant }) => participant.role),
      column('persona_origin', 'VARCHAR', 'structured, json-prompt, recovered-from-prompt or name-only', ({ participant }) => participant.persona_origin),
      ...personaColumns<ParticipantRow>(scan.participantExtraKeys, ({ participant }) => participant.persona, "Participant's"),
      column('system_prompt', 'VARCHAR', 'The exact system prompt, when known', ({ participant }) => participant.system_prompt)
    ]
  }
  const annotations: TableSpec<AnnotationRow> = {
    name: 'annotations',
    description: 'One row per annotation (label record), linked or not yet linked to a comment.',
    columns: [
      column('annotation_id', 'VARCHAR', 'Annotation id; key of this table', ({ annotation }) => annotation.id),
      column('discussion_id', 'VARCHAR', 'Annotated discussion (null when the source named none)', ({ annotation }) => annotation.discussion_id),
      column('comment_index', 'BIGINT', 'Annotated comment; null while unlinked', ({ annotation }) => annotation.comment_index),
      column('comment_id', 'VARCHAR', '<discussion_id>:<comment_index>; null while unlinked', ({ annotation }) =>
        annotation.discussion_id !== null && annotation.comment_index !== null ? commentId(annotation.discussion_id, annotation.comment_index) : null
      ),
      column('linked', 'BOOLEAN', 'False for annotations still waiting for their discussion or comment', ({ annotation }) =>
        annotation.discussion_id !== null && annotation.comment_index !== null
      ),
      column('annotator_id', 'VARCHAR', 'Key into the annotators table', ({ annotatorId }) => annotatorId),
      column('annotator_name', 'VARCHAR', "Annotator's name (model pseudo-name or coder)", ({ annotation }) => annotation.annotator.name),
      column('annotator_kind', 'VARCHAR', 'llm or human', ({ annotation }) => annotation.annotator.kind),
      column('annotator_model', 'VARCHAR', 'Model of an LLM annotator', ({ annotation }) => annotation.annotator.model),
      ...scan.labels.map((label) =>
        column<AnnotationRow>(`label_${label.name}`, label.type, `Value of label "${label.name}"; null when not given`, ({ annotation }) =>
          labelCell(annotation.values[label.name], label.type)
        )
      ),
      column('raw_text', 'VARCHAR', 'What the annotator wrote', ({ annotation }) => annotation.raw_text),
      column('parsed', 'BOOLEAN', "False when no value could be read from raw_text (SDF's -1 sentinel)", ({ annotation }) => annotation.parsed),
      column('position', 'BIGINT', 'Order of the record in its source file', ({ annotation }) => annotation.position),
      column('quoted_text', 'VARCHAR', 'The comment text a legacy file quoted (alignment evidence)', ({ annotation }) => annotation.quoted_text),
      column('created_at', 'VARCHAR', 'When the annotation was made, if known', ({ annotation }) => annotation.created_at),
      column('source_file', 'VARCHAR', 'File the annotation was imported from', ({ annotation }) => annotation.source?.file ?? null)
    ]
  }
  const annotators: TableSpec<AnnotatorRow> = {
    name: 'annotators',
    description: 'One row per distinct annotator (same name, kind, model, prompt and persona).',
    columns: [
      column('annotator_id', 'VARCHAR', 'Stable id from the annotator’s content; key of this table', ({ id }) => id),
      column('name', 'VARCHAR', 'Name (model pseudo-name or coder)', ({ annotator }) => annotator.name),
      column('kind', 'VARCHAR', 'llm or human', ({ annotator }) => annotator.kind),
      column('model', 'VARCHAR', 'Model of an LLM annotator', ({ annotator }) => annotator.model),
      column('spec_id', 'VARCHAR', 'Annotator spec (label schema) it followed', ({ annotator }) => annotator.spec_id),
      column('prompt', 'VARCHAR', 'System prompt of an LLM annotator', ({ annotator }) => annotator.prompt),
      ...personaColumns<AnnotatorRow>(scan.annotatorExtraKeys, ({ annotator }) => annotator.persona, "Annotator's"),
      column('n_annotations', 'BIGINT', 'Annotations it made in this export', ({ count }) => count)
    ]
  }
  const flatTrait = (value: AttributeValue | undefined): CellValue =>
    Array.isArray(value) ? pythonListRepr(value) : attributeCell(value)
  const sdf_flat: TableSpec<FlatRow> = {
    name: 'sdf_flat',
    description:
      "SynDisco 2.0's exported dataset (spec §1.10): one row per comment × annotation, comments without annotations once.",
    columns: [
      ...[
        column<FlatRow>('conv_id', 'VARCHAR', 'Discussion id', ({ discussion }) => discussion.id),
        column<FlatRow>('timestamp', 'VARCHAR', "Discussion's timestamp string", ({ discussion }) => discussion.timestamp),
        column<FlatRow>('ctx_length', 'BIGINT', 'History window size', ({ discussion }) => discussion.history_ctx_len),
        column<FlatRow>('conv_variant', 'VARCHAR', 'conditions.conv_variant (the folder of an imported SDF file)', ({ discussion }) => discussion.conditions['conv_variant'] ?? null),
        column<FlatRow>('user', 'VARCHAR', "Author's username", ({ comment }) => comment.author),
        column<FlatRow>('message', 'VARCHAR', 'Comment text', ({ comment }) => comment.text),
        column<FlatRow>('model', 'VARCHAR', 'Model ("hardcoded" for seed comments)', ({ comment }) => (comment.role === 'seed' ? 'hardcoded' : comment.model)),
        column<FlatRow>('is_moderator', 'BOOLEAN', 'user == moderator', ({ discussion, comment }) => discussion.moderator !== null && comment.author === discussion.moderator),
        column<FlatRow>('user_prompt', 'VARCHAR', "Speaker's system prompt (SynDisco 2.0 JSON prompt when none was kept)", ({ userPrompt }) => userPrompt),
        column<FlatRow>('message_id', 'VARCHAR', 'md5 hex of "<conv_id>_<message>" (SynDisco ≥ 2.0.4)', ({ messageId }) => messageId),
        column<FlatRow>('message_order', 'BIGINT', '1-based; increases whenever message_id changes from the previous row', ({ messageOrder }) => messageOrder),
        ...FLAT_TRAITS.map((field) =>
          column<FlatRow>(field, 'VARCHAR', `Speaker's persona: ${field}${field === 'personality_characteristics' ? " (Python list repr, as pandas wrote it)" : ''}`, ({ speaker }) =>
            flatTrait(personaField(speaker?.persona, field))
          )
        )
      ].map((spec) => scoped('comment', spec)),
      ...[
        column<FlatRow>('annotator_model', 'VARCHAR', "Annotator's model (its name when no model is recorded)", ({ annotation }) =>
          annotation ? annotation.annotator.model ?? annotation.annotator.name : null
        ),
        column<FlatRow>('annotator_prompt', 'VARCHAR', "Annotator's system prompt", ({ annotation }) => annotation?.annotator.prompt ?? null)
      ].map((spec) => scoped('annotator', spec)),
      scoped('row', column<FlatRow>('annotation', 'VARCHAR', 'Raw annotation text', ({ annotation }) => annotation?.raw_text ?? null)),
      ...FLAT_TRAITS.map((field) =>
        scoped(
          'annotator',
          column<FlatRow>(`${field}_annot`, 'VARCHAR', `Annotator's persona: ${field}`, ({ annotation }) =>
            flatTrait(personaField(annotation?.annotator.persona, field))
          )
        )
      )
    ]
  }
  return { discussions, comments, participants, annotations, annotators, sdf_flat }
}

/** The plain definition (no getters) of a table, as writers and the data dictionary take it. */
export function tableDefinition(spec: TableSpec<never>): TableDefinition {
  return {
    name: spec.name,
    description: spec.description,
    columns: spec.columns.map(({ name, type, description }) => ({ name, type, description }))
  }
}
