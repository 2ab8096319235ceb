import type { Corpus } from '../corpus/corpus.js'
import { CorpusError } from '../corpus/corpusError.js'
import type { CorpusSeed } from '../corpus/corpusSeed.js'
import { sampleCorpusSeeds } from '../corpus/sampleCorpusSeeds.js'
import { describeZodError } from '../schema/describeZodError.js'
import type { InstructionKind } from '../schema/instruction.js'
import { SeededRandom } from '../random/seededRandom.js'
import { countDesign, type DesignCounts } from './countDesign.js'
import { DesignError } from './designError.js'
import type { DiscussionSpec } from './discussionSpec.js'
import { ExperimentDesignSchema, type ExperimentDesign, type ExperimentDesignInput } from './experimentDesign.js'

/** The workspace records a design refers to; Persona, Topic and Instruction records fit as they are. */
export interface DesignLibrary {
  personas: readonly { id: string; username?: string }[]
  topics: readonly { id: string }[]
  instructions: readonly { id: string; kind: InstructionKind }[]
  /** Needed only by designs with a `seed_source`; `loadDesignCorpora` reads them from a workspace. */
  corpora?: readonly Corpus[]
}

export interface DesignExpansion {
  design: ExperimentDesign
  counts: DesignCounts
  discussions: DiscussionSpec[]
}

type Levels = {
  topic_id: string
  user_instruction_id: string
  moderator_instruction_id: string | null
  turn_policy: DiscussionSpec['turn_policy']
  model: DiscussionSpec['model']
  prompt_mode: DiscussionSpec['prompt_mode']
}

/** Factor order: the first varies slowest when crossed. */
function factorLists(design: ExperimentDesign) {
  const f = design.factors
  return [
    ['topics', f.topics],
    ['user_instructions', f.user_instructions],
    ['moderator_instructions', f.moderator_instructions],
    ['turn_policies', f.turn_policies],
    ['models', f.models],
    ['prompt_modes', f.prompt_modes]
  ] as const
}

function levelsOf(design: ExperimentDesign, cell: number, random: SeededRandom): Levels {
  const chosen = factorLists(design).map(([name, list]) => {
    if (design.mode.kind === 'sample') return random.fork('cell').fork(cell).fork(name).pick<unknown>(list)
    return list
  })
  if (design.mode.kind === 'cross') {
    // Mixed-radix digits of the cell number, last factor fastest.
    let rest = cell
    for (let i = chosen.length - 1; i >= 0; i -= 1) {
      const list = chosen[i] as readonly unknown[]
      chosen[i] = list[rest % list.length]
      rest = Math.floor(rest / list.length)
    }
  }
  const [topic, user, moderator, turn, model, prompt] = chosen
  return {
    topic_id: topic as string,
    user_instruction_id: user as string,
    moderator_instruction_id: moderator as string | null,
    turn_policy: structuredClone(turn) as Levels['turn_policy'],
    model: structuredClone(model) as Levels['model'],
    prompt_mode: structuredClone(prompt) as Levels['prompt_mode']
  }
}

function checkReferences(design: ExperimentDesign, library: DesignLibrary): string[] {
  const problems: string[] = []
  const personas = new Map(library.personas.map((persona) => [persona.id, persona]))
  const topics = new Set(library.topics.map((topic) => topic.id))
  const instructions = new Map(library.instructions.map((instruction) => [instruction.id, instruction.kind]))
  const missing = (what: string, ids: readonly string[]): void => {
    if (ids.length > 0) problems.push(`${what} not in the workspace: ${ids.join(', ')}`)
  }
  const { pool } = design.factors.personas
  missing('personas', pool.filter((id) => !personas.has(id)))
  missing('topics', design.factors.topics.filter((id) => !topics.has(id)))
  const checkKind = (ids: readonly string[], kind: InstructionKind): void => {
    missing(`${kind} instructions`, ids.filter((id) => !instructions.has(id)))
    for (const id of ids) {
      const actual = instructions.get(id)
      if (actual !== undefined && actual !== kind) problems.push(`instruction "${id}" is a ${actual} instruction, not a ${kind} instruction`)
    }
  }
  checkKind(design.factors.user_instructions, 'user')
  checkKind(design.factors.moderator_instructions.filter((id): id is string => id !== null), 'moderator')
  const corpusId = design.factors.seed_source?.corpus_id
  if (corpusId !== undefined && !library.corpora?.some((corpus) => corpus.info.id === corpusId)) {
    problems.push(`corpus "${corpusId}" (the seed source) is not in the workspace`)
  }
  const byUsername = new Map<string, string>()
  for (const id of pool) {
    const username = personas.get(id)?.username
    if (username === undefined) continue
    const other = byUsername.get(username)
    if (other !== undefined) {
      problems.push(`personas "${other}" and "${id}" share the username "${username}"; usernames must be unique within a discussion`)
    }
    byUsername.set(username, id)
  }
  return problems
}

/**
 * The corpus seeds of a design with a seed source, one per discussion or per replicate, drawn from
 * their own forked stream so that adding one changes no other choice of the expansion.
 */
function corpusSeeds(design: ExperimentDesign, library: DesignLibrary, counts: DesignCounts, root: SeededRandom): CorpusSeed[] | null {
  const source = design.factors.seed_source
  if (!source) return null
  const corpus = library.corpora?.find((candidate) => candidate.info.id === source.corpus_id) as Corpus
  try {
    return sampleCorpusSeeds(corpus, {
      k: source.k,
      count: source.assign === 'each-replicate' ? counts.replicates : counts.discussions,
      onlyFlagged: source.only_flagged,
      truncateTo: source.truncate_to,
      seed: root.fork('seed_source').nextSeed(),
      reuse: source.reuse
    })
  } catch (error) {
    if (error instanceof CorpusError) throw new DesignError([`seed source: ${error.message}`])
    throw error
  }
}

/**
 * Every discussion a design describes, in a fixed order, each with its levels, its sampled personas
 * and its own seed. The same design (seed included) always expands to the same list; each random
 * choice draws from its own forked stream, so e.g. adding a topic changes no persona sample of an
 * existing discussion index.
 */
export function expandDesign(input: ExperimentDesignInput | ExperimentDesign, library: DesignLibrary): DesignExpansion {
  const parsed = ExperimentDesignSchema.safeParse(input)
  if (!parsed.success) throw new DesignError([`invalid design: ${describeZodError(parsed.error)}`])
  const design = parsed.data
  const problems = checkReferences(design, library)
  if (problems.length > 0) throw new DesignError(problems)
  const counts = countDesign(design)
  const root = SeededRandom.fromSeed(design.seed)
  const digits = Math.max(4, String(counts.discussions - 1).length)
  const cellLevels = Array.from({ length: counts.cells }, (_, cell) => levelsOf(design, cell, root))
  const seeds = corpusSeeds(design, library, counts, root)
  const discussions: DiscussionSpec[] = []
  for (let index = 0; index < counts.discussions; index += 1) {
    const cell = index % counts.cells
    const stream = root.fork('discussion').fork(index)
    const { pool, users_per_discussion: users } = design.factors.personas
    discussions.push({
      ...structuredClone(design.discussion),
      id: `${design.id}-${String(index).padStart(digits, '0')}`,
      design_id: design.id,
      index,
      cell,
      replicate: Math.floor(index / counts.cells),
      seed: stream.fork('seed').nextSeed(),
      ...structuredClone(cellLevels[cell] as Levels),
      persona_ids: stream.fork('personas').sample(pool, users),
      ...seedFields(seeds, design.factors.seed_source?.assign === 'each-replicate' ? Math.floor(index / counts.cells) : index)
    })
  }
  return { design, counts, discussions }
}

function seedFields(seeds: CorpusSeed[] | null, position: number): Pick<DiscussionSpec, 'seed_comments' | 'seed_provenance'> {
  const seed = seeds?.[position]
  return seed ? { seed_comments: structuredClone(seed.comments), seed_provenance: structuredClone(seed.provenance) } : {}
}
