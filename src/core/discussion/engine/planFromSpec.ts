import type { DiscussionSpec } from '../../design/discussionSpec.js'
import { PersonaSnapshotSchema, type Persona } from '../../schema/persona.js'
import type { Instruction } from '../../schema/instruction.js'
import type { SeedComment, Topic } from '../../schema/topic.js'
import { cleaningForPromptMode } from '../cleanOutput.js'
import type { PromptMode } from '../prompts/promptMode.js'
import { sdfV0Context } from '../prompts/sdfPrompts.js'
import { SDF_V01_CONTEXT } from '../prompts/sdfStrings.js'
import { DiscussionPlanSchema, type DiscussionPlan } from './discussionPlan.js'
import { PlanError } from './planError.js'

/** The workspace records a spec refers to (the workspace's collections hold them). */
export interface PlanLibrary {
  personas: readonly Persona[]
  topics: readonly Topic[]
  instructions: readonly Instruction[]
}

export interface TopicPlacement {
  context: string
  topic: string | null
  seed_comments: SeedComment[]
}

/**
 * Where the topic goes depends on the prompt mode, as it did in SDF's history: v0 put it in the
 * context, v0.1 made it a seed opinion by "FirstUser", SDF Studio's own modes show it as the post
 * under discussion. A topic's own seed comments always open the discussion.
 */
export function placeTopic(mode: PromptMode, topic: Topic): TopicPlacement {
  const seeds = topic.seed_comments.map((seed) => ({ ...seed }))
  switch (mode.kind) {
    case 'sdf-v0':
      return { context: sdfV0Context(topic.text), topic: null, seed_comments: seeds }
    case 'sdf-v0.1':
      return { context: SDF_V01_CONTEXT, topic: null, seed_comments: seeds.length > 0 ? seeds : [{ author: null, text: topic.text }] }
    case 'modern':
    case 'custom':
      return { context: '', topic: topic.text, seed_comments: seeds }
  }
}

/** A level as a short label: its kind or name, then its settings (`respond p_respond=0.4`). */
function levelLabel(name: string, settings: Record<string, unknown>): string {
  const parts = Object.entries(settings)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
  return [name, ...parts].join(' ')
}

/** The spec's level of every design factor, as analyses group discussions by them. */
export function specConditions(spec: DiscussionSpec): Record<string, string> {
  const { kind: turnKind, ...turnSettings } = spec.turn_policy
  const { kind: promptKind, ...promptSettings } = spec.prompt_mode
  return {
    topic: spec.topic_id,
    user_instructions: spec.user_instruction_id,
    moderator_instructions: spec.moderator_instruction_id ?? 'none',
    turn_policy: levelLabel(turnKind, turnSettings),
    model: levelLabel(spec.model.model, spec.model.sampling),
    prompt_mode: levelLabel(promptKind, promptKind === 'custom' ? {} : promptSettings)
  }
}

/**
 * The plan for one discussion of an expanded design. Throws PlanError naming every record the
 * spec refers to that the library lacks. A model level's `sampling.seed` is not used: every call's
 * seed comes from the discussion seed and the step.
 */
export function planFromSpec(spec: DiscussionSpec, library: PlanLibrary): DiscussionPlan {
  const problems: string[] = []
  const personas = new Map(library.personas.map((persona) => [persona.id, persona]))
  const instructions = new Map(library.instructions.map((instruction) => [instruction.id, instruction]))
  const topic = library.topics.find((candidate) => candidate.id === spec.topic_id)
  if (!topic) problems.push(`topic "${spec.topic_id}" is not in the workspace`)
  const missingPersonas = spec.persona_ids.filter((id) => !personas.has(id))
  if (missingPersonas.length > 0) problems.push(`personas not in the workspace: ${missingPersonas.join(', ')}`)
  const userInstruction = instructions.get(spec.user_instruction_id)
  if (!userInstruction) problems.push(`user instruction "${spec.user_instruction_id}" is not in the workspace`)
  const moderatorInstruction = spec.moderator_instruction_id === null ? null : instructions.get(spec.moderator_instruction_id)
  if (moderatorInstruction === undefined) problems.push(`moderator instruction "${spec.moderator_instruction_id}" is not in the workspace`)
  if (problems.length > 0 || !topic || !userInstruction || moderatorInstruction === undefined) throw new PlanError(problems)

  const { seed: _ignored, ...sampling } = spec.model.sampling
  const placement = placeTopic(spec.prompt_mode, topic)
  // Seeds sampled from a corpus of real threads replace the topic's own opening comments.
  if (spec.seed_comments) placement.seed_comments = spec.seed_comments.map((seed) => ({ ...seed }))
  const conditions = specConditions(spec)
  if (spec.seed_provenance) {
    conditions['seed_corpus'] = spec.seed_provenance.corpus_id
    conditions['seed_conversation'] = spec.seed_provenance.conversation_id
  }
  return DiscussionPlanSchema.parse({
    id: spec.id,
    seed: spec.seed,
    origin: { kind: 'spec', design_id: spec.design_id, index: spec.index },
    ...placement,
    topic_id: topic.id,
    config_id: null,
    conditions,
    users: spec.persona_ids.map((id) => {
      const { id: personaId, role_hint: _role, example: _example, source: _source, ...fields } = personas.get(id) as Persona
      return { username: fields.username, attributes: null, persona: PersonaSnapshotSchema.parse(fields), persona_origin: 'structured', persona_id: personaId }
    }),
    user_instructions: userInstruction.text,
    user_instruction_id: userInstruction.id,
    moderator: moderatorInstruction
      ? {
          name: spec.moderator_name,
          attributes: [...spec.moderator_attributes],
          instructions: moderatorInstruction.text,
          instruction_id: moderatorInstruction.id
        }
      : null,
    prefix: null,
    conv_len: spec.conv_len,
    history_ctx_len: spec.history_ctx_len,
    turn_policy: spec.turn_policy,
    moderator_policy: spec.moderator_policy,
    prompt_mode: spec.prompt_mode,
    cleaning: [...cleaningForPromptMode(spec.prompt_mode)],
    model: spec.model.model,
    sampling,
    max_tokens: spec.max_tokens,
    call_seeds: 'per-step'
  })
}
