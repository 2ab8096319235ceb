import { DiscussionConfigSchema } from '../schema/index.js'
import type { SeedComment } from '../schema/index.js'
import type { ParsedSource } from './parsedSource.js'
import { recoverPersona } from './recoverPersona.js'
import { parseWithSchema } from './zodIssueToFormatError.js'
import {
  describeValue,
  expectList,
  expectRecord,
  expectString,
  expectStringList,
  fail,
  itemField,
  optionalInteger,
  optionalString,
  type JsonRecord
} from './valueChecks.js'

const ConfigDraftSchema = DiscussionConfigSchema.omit({ id: true, source: true })

function turnManagerConfig(value: unknown): Record<string, number> {
  if (value === undefined || value === null) return {}
  const config = expectRecord(value, 'turn_manager_config', 'an object of numbers')
  for (const [key, setting] of Object.entries(config)) {
    if (typeof setting !== 'number') fail(`turn_manager_config.${key}`, `expected a number, got ${describeValue(setting)}`)
  }
  return config as Record<string, number>
}

function optionalStringList(value: unknown, field: string): string[] | null {
  if (value === undefined || value === null) return null
  return expectStringList(value, field)
}

/**
 * `seed_opinions` × `seed_opinion_usernames` (v0.1, lists) or `seed_opinion` + `seed_opinion_user`
 * (Jan 2025, one optional seed). An empty username list leaves authors unknown rather than failing.
 */
function seedComments(data: JsonRecord): SeedComment[] {
  const seeds: SeedComment[] = []
  const texts = optionalStringList(data.seed_opinions, 'seed_opinions') ?? []
  const authorsRaw = data.seed_opinion_usernames
  const authors =
    authorsRaw === undefined || authorsRaw === null
      ? []
      : expectList(authorsRaw, 'seed_opinion_usernames').map((author, index) =>
          optionalString(author, itemField('seed_opinion_usernames', index))
        )
  if (authors.length > 0 && authors.length !== texts.length) {
    fail(
      'seed_opinion_usernames',
      `has ${authors.length} names for ${texts.length} seed opinions: the two lists must have the same length`
    )
  }
  texts.forEach((text, index) => seeds.push({ author: authors[index] ?? null, text }))
  const single = optionalString(data.seed_opinion, 'seed_opinion')
  if (single !== null && single.trim() !== '') {
    seeds.push({ author: optionalString(data.seed_opinion_user, 'seed_opinion_user'), text: single })
  }
  return seeds
}

/** `LLMConvData` (spec §1.5): one generated conversation's full input. */
export function readLlmConvData(data: JsonRecord): ParsedSource {
  const context = expectString(data.context, 'context')
  const userNames = expectStringList(data.user_names, 'user_names')
  const userAttributes = expectList(data.user_attributes, 'user_attributes').map((attributes, index) =>
    expectStringList(attributes, itemField('user_attributes', index))
  )
  if (userNames.length === 0) fail('user_names', 'needs at least one user')
  if (userAttributes.length !== userNames.length) {
    fail(
      'user_attributes',
      `has ${userAttributes.length} entries for ${userNames.length} user_names: SDF requires one attribute list per user`
    )
  }
  const participants = userNames.map((username, index) => {
    if (username.trim() === '') fail(itemField('user_names', index), 'must be a non-empty name')
    const attributes = userAttributes[index] as string[]
    return { username, attributes, persona: recoverPersona(username, attributes).persona }
  })
  const moderatorName = optionalString(data.moderator_name, 'moderator_name')
  const moderatorAttributes = optionalStringList(data.moderator_attributes, 'moderator_attributes')
  const moderatorInstructions = optionalString(data.moderator_instructions, 'moderator_instructions')
  if (moderatorName !== null && moderatorName.trim() === '') fail('moderator_name', 'must be a non-empty name or null')
  // SDF created a moderator only when all three were given (spec §2.2).
  const moderator =
    moderatorName !== null && moderatorAttributes !== null && moderatorInstructions !== null
      ? { name: moderatorName, attributes: moderatorAttributes, instructions: moderatorInstructions }
      : null
  const config = parseWithSchema(ConfigDraftSchema, {
    context,
    participants,
    user_instructions: expectString(data.user_instructions, 'user_instructions'),
    turn_manager_type: expectString(data.turn_manager_type, 'turn_manager_type'),
    turn_manager_config: turnManagerConfig(data.turn_manager_config),
    conv_len: optionalInteger(data.conv_len, 'conv_len') ?? 4,
    history_ctx_len: optionalInteger(data.history_ctx_len, 'history_ctx_len') ?? 4,
    moderator,
    seed_comments: seedComments(data)
  })
  return { kind: 'discussion-config', format: 'sdf-llm-conv-data', config }
}
