import type { AnnotationDraft, ParsedSource } from './parsedSource.js'
import { validateAnnotationDraft } from './readAnnotations.js'
import { readLogEntry } from './readConversation.js'
import { validateDiscussion } from './participantFromPrompt.js'
import {
  SDF_STUDIO_ANNOTATIONS,
  StudioAnnotationsExtrasSchema,
  StudioDiscussionExtrasSchema
} from './sdfStudioExtras.js'
import { parseWithSchema } from './zodIssueToFormatError.js'
import {
  describeValue,
  expectList,
  expectString,
  fail,
  isRecord,
  itemField,
  optionalInteger,
  optionalString,
  type JsonRecord
} from './valueChecks.js'

/** Files SDF Studio wrote carry an `sdf_studio` object naming what they hold. */
export function isSdfStudioFile(data: JsonRecord): boolean {
  return isRecord(data.sdf_studio) && typeof data.sdf_studio.format === 'string' && data.sdf_studio.format.startsWith('sdf-studio-')
}

function mismatch(field: string, extras: number, logs: number): never {
  return fail(
    field,
    `has ${extras} entries but logs has ${logs}: the file was changed outside SDF Studio; ` +
      'remove the "sdf_studio" key to import it as a plain SynDisco file'
  )
}

/** SDF Studio's own conversation export: the SDF fields, completed by `sdf_studio`. */
function readStudioDiscussion(data: JsonRecord): ParsedSource {
  const extras = parseWithSchema(StudioDiscussionExtrasSchema, data.sdf_studio, 'sdf_studio')
  const entries = expectList(data.logs, 'logs').map((entry, index) => readLogEntry(entry, itemField('logs', index)))
  if (extras.comments.length !== entries.length) mismatch('sdf_studio.comments', extras.comments.length, entries.length)
  const discussion = validateDiscussion({
    id: data.id,
    timestamp: optionalString(data.timestamp, 'timestamp'),
    status: extras.status,
    participants: extras.participants,
    moderator: optionalString(data.moderator, 'moderator'),
    context: extras.context,
    history_ctx_len: optionalInteger(data.ctx_length, 'ctx_length'),
    comments: extras.comments.map((comment, index) => {
      const entry = entries[index] as (typeof entries)[number]
      return { ...comment, author: entry.name, text: entry.text }
    }),
    topic_id: extras.topic_id,
    config_id: extras.config_id,
    run_id: extras.run_id,
    conditions: extras.conditions,
    extra: extras.extra
  })
  return { kind: 'discussion', format: 'sdf-studio', discussion }
}

/** SDF Studio's own annotation export: `[message, annotation]` pairs, completed by `sdf_studio`. */
function readStudioAnnotations(data: JsonRecord): ParsedSource {
  const extras = parseWithSchema(StudioAnnotationsExtrasSchema, data.sdf_studio, 'sdf_studio')
  const discussionId = expectString(data.conv_id, 'conv_id')
  const logs = expectList(data.logs, 'logs')
  if (extras.records.length !== logs.length) mismatch('sdf_studio.records', extras.records.length, logs.length)
  const annotations: AnnotationDraft[] = extras.records.map((record, position) => {
    const field = itemField('logs', position)
    const pair = logs[position]
    if (!Array.isArray(pair) || pair.length !== 2) fail(field, `expected [message, annotation] pair, got ${describeValue(pair)}`)
    const rawText = expectString(pair[1], itemField(field, 1), 'a string (the annotation)')
    return validateAnnotationDraft({ ...record, annotator: extras.annotator, raw_text: rawText }, field)
  })
  return { kind: 'annotations', format: 'sdf-studio', discussionId, annotations }
}

export function readSdfStudio(data: JsonRecord): ParsedSource {
  const studio = data.sdf_studio as JsonRecord
  return studio.format === SDF_STUDIO_ANNOTATIONS ? readStudioAnnotations(data) : readStudioDiscussion(data)
}
