import type { Comment, Participant, SourceFormat } from '../schema/index.js'
import type { ParsedSource } from './parsedSource.js'
import { commonContext, participantFromPrompt, validateDiscussion } from './participantFromPrompt.js'
import {
  describeValue,
  expectList,
  expectString,
  fail,
  isRecord,
  itemField,
  optionalInteger,
  optionalString,
  unknownKeys,
  type JsonRecord
} from './valueChecks.js'

type ConversationFormat = Extract<SourceFormat, 'sdf-v0-conversation' | 'sdf-v0.1-conversation' | 'syndisco-2.0-conversation'>

const KNOWN_KEYS = ['id', 'timestamp', 'users', 'moderator', 'user_prompts', 'moderator_prompt', 'ctx_length', 'logs']

export interface LogEntry {
  name: string
  text: string
  model: string | null
  prompt: string | null
}

function isJsonPrompt(prompt: unknown): boolean {
  if (typeof prompt !== 'string' || !prompt.trimStart().startsWith('{')) return false
  try {
    return isRecord(JSON.parse(prompt))
  } catch {
    return false
  }
}

/** v0 wrote `[name, text]` pairs plus `user_types`; v0.1 dict entries; 2.0 the same with JSON prompts. */
export function classifyConversation(data: JsonRecord): ConversationFormat {
  const logs = Array.isArray(data.logs) ? data.logs : []
  if ('user_types' in data || 'moderator_type' in data || logs.some((entry) => Array.isArray(entry))) {
    return 'sdf-v0-conversation'
  }
  const prompts = [...(Array.isArray(data.user_prompts) ? data.user_prompts : []), data.moderator_prompt]
  return prompts.some(isJsonPrompt) ? 'syndisco-2.0-conversation' : 'sdf-v0.1-conversation'
}

/** One `logs` entry in any of the shapes SDF and SynDisco wrote. */
export function readLogEntry(entry: unknown, field: string): LogEntry {
  if (Array.isArray(entry)) {
    if (entry.length !== 2) fail(field, `expected [username, text] pair or {name, text} object, got ${describeValue(entry)}`)
    return {
      name: expectString(entry[0], itemField(field, 0), 'a string (the username)'),
      text: expectString(entry[1], itemField(field, 1), 'a string (the text)'),
      model: null,
      prompt: null
    }
  }
  if (!isRecord(entry)) fail(field, `expected [username, text] pair or {name, text} object, got ${describeValue(entry)}`)
  return {
    name: expectString(entry.name, `${field}.name`),
    text: expectString(entry.text, `${field}.text`),
    model: optionalString(entry.model, `${field}.model`),
    prompt: optionalString(entry.prompt, `${field}.prompt`)
  }
}

/** SDF logged seed opinions with the pseudo-model "hardcoded"; the moderator is matched by exact name. */
export function commentFromEntry(entry: LogEntry, index: number, moderator: string | null, seed: boolean): Comment {
  const role = seed || entry.model === 'hardcoded' ? 'seed' : moderator !== null && entry.name === moderator ? 'moderator' : 'user'
  return {
    index,
    author: entry.name,
    role,
    raw_text: entry.text,
    text: entry.text,
    model: entry.model,
    reply_to: null,
    seed: null,
    prompt: entry.prompt
  }
}

function readUsers(data: JsonRecord, entries: readonly LogEntry[], moderator: string | null): string[] {
  if (data.users === undefined || data.users === null) {
    // No user list: the speakers are the users, in order of first appearance.
    const names = entries.filter((e) => e.model !== 'hardcoded' && e.name !== moderator).map((e) => e.name)
    return [...new Set(names)]
  }
  const users = expectList(data.users, 'users', 'a list of usernames').map((user, index) => {
    const name = expectString(user, itemField('users', index))
    if (name.trim() === '') fail(itemField('users', index), 'must be a non-empty name')
    return name
  })
  const duplicate = users.find((user, index) => users.indexOf(user) !== index)
  if (duplicate !== undefined) fail('users', `duplicate username "${duplicate}": usernames must be unique within a discussion`)
  return users
}

/** v0, v0.1/v0.2 and syndisco 2.0 conversation outputs (spec §1.7). */
export function readConversation(data: JsonRecord, format: ConversationFormat): ParsedSource {
  const entries = expectList(data.logs, 'logs').map((entry, index) => readLogEntry(entry, itemField('logs', index)))
  const moderator = optionalString(data.moderator, 'moderator')
  if (moderator !== null && moderator.trim() === '') fail('moderator', 'must be a non-empty name or null')
  const users = readUsers(data, entries, moderator)
  const promptsRaw = data.user_prompts
  const prompts = promptsRaw === undefined || promptsRaw === null ? [] : expectList(promptsRaw, 'user_prompts')
  if (prompts.length > 0 && prompts.length !== users.length) {
    fail('user_prompts', `has ${prompts.length} prompts for ${users.length} users: SDF wrote one prompt per user`)
  }
  const prompted = users.map((user, index) =>
    participantFromPrompt(user, user === moderator ? 'moderator' : 'user', prompts[index] ?? (user === moderator ? data.moderator_prompt : null))
  )
  if (moderator !== null && !users.includes(moderator)) {
    prompted.push(participantFromPrompt(moderator, 'moderator', data.moderator_prompt))
  }
  const participants: Participant[] = prompted.map((p) => p.participant)
  const extra = unknownKeys(data, KNOWN_KEYS)
  // A moderator prompt without a moderator has no participant to live on; keep it rather than drop it.
  if (moderator === null && data.moderator_prompt !== undefined && data.moderator_prompt !== null) {
    extra.moderator_prompt = data.moderator_prompt
  }
  const discussion = validateDiscussion({
    id: data.id,
    timestamp: optionalString(data.timestamp, 'timestamp'),
    status: 'complete',
    participants,
    moderator,
    context: commonContext(prompted.filter((p) => p.participant.role === 'user').map((p) => p.context)),
    history_ctx_len: optionalInteger(data.ctx_length, 'ctx_length'),
    comments: entries.map((entry, index) => commentFromEntry(entry, index, moderator, false)),
    topic_id: null,
    config_id: null,
    run_id: null,
    extra
  })
  return { kind: 'discussion', format, discussion }
}
