import { z } from 'zod'
import { DEFAULT_SEED_SOURCE_FORM, seedSourceFromDesign, SeedSourceFormSchema, seedSourceToDesign } from './seedSourceForm.js'

export const TURN_POLICY_KINDS = ['round-robin', 'random', 'respond', 'llm-chosen', 'sdf-v0-random-weighted'] as const
export type TurnPolicyKind = (typeof TURN_POLICY_KINDS)[number]

export const TURN_POLICY_LABELS: Record<TurnPolicyKind, string> = {
  'round-robin': 'Round robin',
  random: 'Random (never the last speaker)',
  respond: 'Respond (the one replied to answers back)',
  'llm-chosen': 'Chosen by the model',
  'sdf-v0-random-weighted': "SDF v0 'random_weighted' (as SDF ran it)"
}

export const PROMPT_MODE_KINDS = ['sdf-v0', 'sdf-v0.1', 'modern'] as const
export type PromptModeKind = (typeof PROMPT_MODE_KINDS)[number]

export const PROMPT_MODE_LABELS: Record<PromptModeKind, string> = {
  'sdf-v0': 'SDF v0 (byte for byte, alpaca)',
  'sdf-v0.1': 'SDF v0.1',
  modern: "Chat (the model's own template)"
}

export const MODERATOR_POLICY_KINDS = ['after-every-comment', 'when-addressed', 'probability', 'llm-decided'] as const
export type ModeratorPolicyKind = (typeof MODERATOR_POLICY_KINDS)[number]

/** A value the designer cannot show as a number (an empty input) is null; the schema names it. */
const count = (what: string, min = 1) =>
  z
    .number(`Give ${what}`)
    .int(`${what[0]?.toUpperCase()}${what.slice(1)} must be a whole number`)
    .min(min, `${what[0]?.toUpperCase()}${what.slice(1)} must be at least ${min}`)

/** The designer's form: every factor's chosen levels and the settings every discussion shares. */
export const DesignFormSchema = z
  .object({
    name: z.string().trim().min(1, 'Name the design; runs and charts refer to it'),
    description: z.string(),
    seed: z.number('Give a seed').int('The seed is a whole number').min(0, 'The seed is 0 or more').max(Number.MAX_SAFE_INTEGER),
    personaPool: z.array(z.string()).min(1, 'Pick the personas discussions draw their users from'),
    usersPerDiscussion: count('users per discussion'),
    topics: z.array(z.string()).min(1, 'Pick at least one topic'),
    userInstructions: z.array(z.string()).min(1, 'Pick at least one set of user instructions'),
    moderatorInstructions: z.array(z.string()),
    includeNoModerator: z.boolean(),
    turnPolicies: z.array(z.enum(TURN_POLICY_KINDS)).min(1, 'Pick at least one turn policy'),
    pRespond: z.number().min(0, 'A probability, from 0 to 1').max(1, 'A probability, from 0 to 1'),
    models: z.array(z.string().trim().min(1)).min(1, 'Name at least one model (a GGUF file in the models folder, or a server model id)'),
    temperature: z.number().min(0, 'From 0 to 5').max(5, 'From 0 to 5').nullable(),
    topP: z.number().min(0, 'From 0 to 1').max(1, 'From 0 to 1').nullable(),
    promptModes: z.array(z.enum(PROMPT_MODE_KINDS)).min(1, 'Pick at least one prompt mode'),
    convLen: count('the number of user turns'),
    historyLength: count('the history length', 0),
    maxTokens: count('the tokens per comment'),
    moderatorPolicy: z.enum(MODERATOR_POLICY_KINDS),
    moderatorProbability: z.number().min(0, 'A probability, from 0 to 1').max(1, 'A probability, from 0 to 1'),
    sampling: z.enum(['cross', 'sample']),
    sampleCount: count('the number of sampled combinations'),
    replicates: count('replicates'),
    seedSource: SeedSourceFormSchema
  })
  .superRefine((form, ctx) => {
    if (form.usersPerDiscussion > form.personaPool.length && form.personaPool.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['usersPerDiscussion'],
        message: `The pool holds ${form.personaPool.length} persona${form.personaPool.length === 1 ? '' : 's'}; users are drawn without replacement, so pick more personas or fewer users`
      })
    }
    if (!form.includeNoModerator && form.moderatorInstructions.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['moderatorInstructions'], message: 'Pick moderator instructions, or keep the "no moderator" level' })
    }
  })

export type DesignFormValues = z.infer<typeof DesignFormSchema>

export const DEFAULT_DESIGN_FORM: DesignFormValues = {
  name: '',
  description: '',
  seed: 42,
  personaPool: [],
  usersPerDiscussion: 3,
  topics: [],
  userInstructions: [],
  moderatorInstructions: [],
  includeNoModerator: true,
  turnPolicies: ['round-robin'],
  pRespond: 0.5,
  models: [],
  temperature: null,
  topP: null,
  promptModes: ['modern'],
  convLen: 6,
  historyLength: 4,
  maxTokens: 200,
  moderatorPolicy: 'after-every-comment',
  moderatorProbability: 0.5,
  sampling: 'cross',
  sampleCount: 10,
  replicates: 1,
  seedSource: DEFAULT_SEED_SOURCE_FORM
}

export interface DesignRecord {
  id: string
  name: string
  [field: string]: unknown
}

function turnPolicy(kind: TurnPolicyKind, pRespond: number): Record<string, unknown> {
  return kind === 'respond' ? { kind, p_respond: pRespond } : { kind }
}

/** The form as core's `ExperimentDesign` (the host checks it with core's schema). */
export function formToDesign(form: DesignFormValues, id: string): DesignRecord {
  const sampling: Record<string, number> = {}
  if (form.temperature !== null) sampling['temperature'] = form.temperature
  if (form.topP !== null) sampling['topP'] = form.topP
  const seedSource = seedSourceToDesign(form.seedSource)
  return {
    id,
    name: form.name.trim(),
    description: form.description,
    seed: form.seed,
    mode: form.sampling === 'cross' ? { kind: 'cross' } : { kind: 'sample', count: form.sampleCount },
    replicates: form.replicates,
    factors: {
      personas: { pool: [...new Set(form.personaPool)], users_per_discussion: form.usersPerDiscussion },
      topics: form.topics,
      user_instructions: form.userInstructions,
      moderator_instructions: [...(form.includeNoModerator ? [null] : []), ...form.moderatorInstructions],
      turn_policies: form.turnPolicies.map((kind) => turnPolicy(kind, form.pRespond)),
      models: form.models.map((model) => ({ model, sampling })),
      prompt_modes: form.promptModes.map((kind) => ({ kind })),
      ...(seedSource === undefined ? {} : { seed_source: seedSource })
    },
    discussion: {
      conv_len: form.convLen,
      history_ctx_len: form.historyLength,
      max_tokens: form.maxTokens,
      moderator_policy: form.moderatorPolicy === 'probability' ? { kind: 'probability', q: form.moderatorProbability } : { kind: form.moderatorPolicy }
    }
  }
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])
const asObject = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {})
const numberOr = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback)

/**
 * A saved design back into the form. Levels the form cannot show (custom prompt templates, several
 * samplings per model) fall back to the defaults; `lossy` says which, so the page can warn before
 * a save would drop them.
 */
export function designToForm(design: DesignRecord): { form: DesignFormValues; lossy: string[] } {
  const lossy: string[] = []
  const factors = asObject(design['factors'])
  const personas = asObject(factors['personas'])
  const discussion = asObject(design['discussion'])
  const mode = asObject(design['mode'])
  const policies = asArray(factors['turn_policies']).map(asObject)
  const models = asArray(factors['models']).map(asObject)
  const promptModes = asArray(factors['prompt_modes']).map(asObject)
  const moderatorPolicy = asObject(discussion['moderator_policy'])
  const firstSampling = asObject(models[0]?.['sampling'])
  const knownPrompt = promptModes.filter((prompt) => (PROMPT_MODE_KINDS as readonly unknown[]).includes(prompt['kind']))
  if (knownPrompt.length !== promptModes.length) lossy.push('custom prompt templates')
  if (new Set(models.map((model) => JSON.stringify(model['sampling'] ?? {}))).size > 1) lossy.push('different sampling per model')
  const moderators = asArray(factors['moderator_instructions'])
  const policyKind = (MODERATOR_POLICY_KINDS as readonly unknown[]).includes(moderatorPolicy['kind'])
    ? (moderatorPolicy['kind'] as ModeratorPolicyKind)
    : DEFAULT_DESIGN_FORM.moderatorPolicy
  return {
    lossy,
    form: {
      name: design.name,
      description: typeof design['description'] === 'string' ? design['description'] : '',
      seed: numberOr(design['seed'], DEFAULT_DESIGN_FORM.seed),
      personaPool: asArray(personas['pool']).map(String),
      usersPerDiscussion: numberOr(personas['users_per_discussion'], DEFAULT_DESIGN_FORM.usersPerDiscussion),
      topics: asArray(factors['topics']).map(String),
      userInstructions: asArray(factors['user_instructions']).map(String),
      moderatorInstructions: moderators.filter((level): level is string => typeof level === 'string'),
      includeNoModerator: moderators.length === 0 || moderators.includes(null),
      turnPolicies: policies
        .map((policy) => policy['kind'])
        .filter((kind): kind is TurnPolicyKind => (TURN_POLICY_KINDS as readonly unknown[]).includes(kind)),
      pRespond: numberOr(policies.find((policy) => policy['kind'] === 'respond')?.['p_respond'], DEFAULT_DESIGN_FORM.pRespond),
      models: models.map((model) => String(model['model'] ?? '')).filter((model) => model !== ''),
      temperature: typeof firstSampling['temperature'] === 'number' ? firstSampling['temperature'] : null,
      topP: typeof firstSampling['topP'] === 'number' ? firstSampling['topP'] : null,
      promptModes: knownPrompt.length === 0 ? DEFAULT_DESIGN_FORM.promptModes : knownPrompt.map((prompt) => prompt['kind'] as PromptModeKind),
      convLen: numberOr(discussion['conv_len'], DEFAULT_DESIGN_FORM.convLen),
      historyLength: numberOr(discussion['history_ctx_len'], DEFAULT_DESIGN_FORM.historyLength),
      maxTokens: numberOr(discussion['max_tokens'], DEFAULT_DESIGN_FORM.maxTokens),
      moderatorPolicy: policyKind,
      moderatorProbability: numberOr(moderatorPolicy['q'], DEFAULT_DESIGN_FORM.moderatorProbability),
      sampling: mode['kind'] === 'sample' ? 'sample' : 'cross',
      sampleCount: numberOr(mode['count'], DEFAULT_DESIGN_FORM.sampleCount),
      replicates: numberOr(design['replicates'], DEFAULT_DESIGN_FORM.replicates),
      seedSource: seedSourceFromDesign(factors['seed_source'])
    }
  }
}

/** Seconds as "42 s", "7 min", "3.2 h". */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`
  return `${(seconds / 86400).toFixed(1)} days`
}

/** 1234567 → "1.2M"; 4321 → "4.3k". */
export function formatTokens(tokens: number): string {
  if (tokens >= 1e6) return `${(tokens / 1e6).toFixed(1)}M`
  if (tokens >= 1e4) return `${Math.round(tokens / 1e3)}k`
  if (tokens >= 1e3) return `${(tokens / 1e3).toFixed(1)}k`
  return String(Math.round(tokens))
}
