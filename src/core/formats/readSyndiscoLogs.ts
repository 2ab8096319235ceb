import { createHash } from 'node:crypto'
import type { Participant } from '../schema/index.js'
import type { AnnotationDraft, ParsedSource, SourceFile } from './parsedSource.js'
import { parseLegacyAnnotationText } from './legacyAnnotationText.js'
import { annotatorFromPrompt, validateAnnotationDraft } from './readAnnotations.js'
import { commentFromEntry, readLogEntry, type LogEntry } from './readConversation.js'
import { commonContext, participantFromPrompt, validateDiscussion } from './participantFromPrompt.js'
import { splitLegacySystemPrompt } from './splitLegacySystemPrompt.js'
import { expectList, isRecord, itemField, optionalString, unknownKeys, type JsonRecord } from './valueChecks.js'

const KNOWN_KEYS = ['timestamp', 'logs']

/** SynDisco 2.0 numbered actor types ("2" = annotator); 2.1 named them. */
function promptType(prompt: string | null): string | null {
  if (prompt === null) return null
  const split = splitLegacySystemPrompt(prompt)
  return split?.form === 'json' ? split.type : null
}

function isAnnotatorType(type: string | null): boolean {
  return type === 'annotator' || type === '2'
}

/** A 2.1 `Logs` file is an annotation log when its speakers were annotators. */
export function isAnnotationLogs(data: JsonRecord): boolean {
  if (!Array.isArray(data.logs)) return false
  return data.logs.some((entry) => isRecord(entry) && typeof entry.prompt === 'string' && isAnnotatorType(promptType(entry.prompt)))
}

/**
 * Seed entries carry the pseudo-model "hardcoded", or no model and a prompt whose persona is empty
 * (spec §1.7). An empty persona alone is not enough: a 2.1 study without demographics has those too.
 */
function isSeedEntry(entry: LogEntry): boolean {
  if (entry.model === 'hardcoded') return true
  if ((entry.model !== null && entry.model !== '') || entry.prompt === null) return false
  const split = splitLegacySystemPrompt(entry.prompt)
  return split?.form === 'json' && isRecord(split.persona) && Object.keys(split.persona).length === 0
}

/** 2.1 files carry no id; one derived from the content keeps re-imports of the same file idempotent. */
function contentId(file: SourceFile): string {
  const hash = /^[0-9a-f]{64}$/i.test(file.sha256)
    ? file.sha256.toLowerCase()
    : createHash('sha256').update(file.text).digest('hex')
  return `syndisco-${hash.slice(0, 16)}`
}

function readEntries(data: JsonRecord): LogEntry[] {
  return expectList(data.logs, 'logs').map((entry, index) => readLogEntry(entry, itemField('logs', index)))
}

/** SynDisco ≥2.1 discussion `Logs`: speakers are whoever spoke, moderators are ordinary actors. */
export function readSyndiscoLogs(data: JsonRecord, file: SourceFile): ParsedSource {
  const entries = readEntries(data)
  const seeds = entries.map(isSeedEntry)
  const speakers = new Map<string, string | null>()
  entries.forEach((entry, index) => {
    if (!seeds[index] && !speakers.has(entry.name)) speakers.set(entry.name, entry.prompt)
  })
  const prompted = [...speakers].map(([name, prompt]) => participantFromPrompt(name, 'user', prompt))
  const participants: Participant[] = prompted.map((p) => p.participant)
  const discussion = validateDiscussion({
    id: contentId(file),
    timestamp: optionalString(data.timestamp, 'timestamp'),
    status: 'complete',
    participants,
    moderator: null,
    context: commonContext(prompted.map((p) => p.context)),
    history_ctx_len: null,
    comments: entries.map((entry, index) => commentFromEntry(entry, index, null, seeds[index] === true)),
    topic_id: null,
    config_id: null,
    run_id: null,
    extra: unknownKeys(data, KNOWN_KEYS)
  })
  return { kind: 'discussion', format: 'syndisco-2.1-logs', discussion }
}

/**
 * SynDisco ≥2.1 annotation `Logs`: each entry names the annotated comment's author and holds the
 * annotation as its text; the annotated text itself is not recorded, so alignment is positional.
 */
export function readSyndiscoAnnotationLogs(data: JsonRecord): ParsedSource {
  const createdAt = optionalString(data.timestamp, 'timestamp')
  const annotations: AnnotationDraft[] = readEntries(data).map((entry, position) => {
    const { values, parsed } = parseLegacyAnnotationText(entry.text)
    return validateAnnotationDraft(
      {
        position,
        quoted_text: null,
        quoted_author: entry.name,
        annotator: annotatorFromPrompt(entry.model ?? 'annotator', entry.model, entry.prompt),
        values,
        raw_text: entry.text,
        parsed,
        created_at: createdAt
      },
      itemField('logs', position)
    )
  })
  return { kind: 'annotations', format: 'syndisco-2.1-annotation-logs', discussionId: null, annotations }
}
