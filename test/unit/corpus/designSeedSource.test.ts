import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  DesignError,
  DiscussionSpecSchema,
  expandDesign,
  ExperimentDesignSchema,
  importCorpus,
  loadDesignCorpora,
  plansForDesign,
  Workspace,
  type DesignLibrary,
  type ExperimentDesignInput
} from '../../../src/core/index.js'
import { REPO_ROOT } from '../../helpers/fixtures.js'
import { tempDir } from '../../helpers/tempDir.js'

const fixture = (name: string) => join(REPO_ROOT, 'test', 'fixtures', 'corpus', name)

const design: ExperimentDesignInput = {
  id: 'awry-seeds',
  name: 'Seeds from real threads',
  seed: 11,
  replicates: 1,
  factors: {
    personas: { pool: ['example-persona-grumpy-gus', 'example-persona-nadia-codes', 'example-persona-farmer-jo'], users_per_discussion: 2 },
    topics: ['example-topic-remote-work'],
    user_instructions: ['example-user-plain'],
    moderator_instructions: [null, 'example-moderator-rules'],
    turn_policies: [{ kind: 'round-robin' }],
    models: [{ model: 'any.gguf' }],
    seed_source: { corpus_id: 'awry', k: 2, only_flagged: true, truncate_to: 40 }
  },
  discussion: { conv_len: 4, history_ctx_len: 4, max_tokens: 100 }
}

async function setUp(): Promise<{ workspace: Workspace; library: DesignLibrary }> {
  const workspace = await Workspace.create(await tempDir())
  await importCorpus(workspace, fixture('awry.csv'), { name: 'awry' })
  const library: DesignLibrary = {
    personas: (await workspace.personas.list()).items,
    topics: (await workspace.topics.list()).items,
    instructions: (await workspace.instructions.list()).items,
    corpora: await loadDesignCorpora(workspace, ExperimentDesignSchema.parse(design))
  }
  return { workspace, library }
}

describe('a design with seeds from a corpus', () => {
  it('gives each discussion its own sampled seed comments and records where they came from', async () => {
    const { library } = await setUp()
    const { discussions } = expandDesign(design, library)
    expect(discussions).toHaveLength(2)
    expect(discussions[0]?.seed_provenance).not.toEqual(discussions[1]?.seed_provenance)
    for (const spec of discussions) {
      expect(DiscussionSpecSchema.parse(spec)).toEqual(spec)
      expect(spec.seed_comments).toHaveLength(2)
      expect(spec.seed_provenance).toMatchObject({ corpus_id: 'awry', only_flagged: true, truncated_to: 40 })
      const corpus = library.corpora![0]!
      const last = corpus.comments.find(
        (comment) => comment.conversation_id === spec.seed_provenance?.conversation_id && comment.message_id === spec.seed_provenance?.message_ids[1]
      )
      expect(last?.flagged).toBe(true)
      expect(spec.seed_comments?.[1]).toEqual({ author: last?.author, text: last?.text.slice(0, 40) })
    }
  })

  it('expands the same way every time, and differently with another design seed', async () => {
    const { library } = await setUp()
    const withReuse = { ...design, factors: { ...design.factors, seed_source: { ...design.factors.seed_source!, reuse: true } } }
    const first = expandDesign(withReuse, library).discussions.map((spec) => spec.seed_provenance)
    expect(expandDesign(withReuse, library).discussions.map((spec) => spec.seed_provenance)).toEqual(first)
    const seeds = [1, 2, 3, 4, 5].map((seed) => JSON.stringify(expandDesign({ ...withReuse, seed }, library).discussions.map((spec) => spec.seed_provenance)))
    expect(new Set([JSON.stringify(first), ...seeds]).size).toBeGreaterThan(1)
  })

  it('can give all cells of a replicate the same seed, so conditions are compared on the same thread', async () => {
    const { library } = await setUp()
    const paired = { ...design, replicates: 2, factors: { ...design.factors, seed_source: { ...design.factors.seed_source!, assign: 'each-replicate' as const } } }
    const { discussions } = expandDesign(paired, library)
    const byReplicate = (replicate: number) => discussions.filter((spec) => spec.replicate === replicate).map((spec) => spec.seed_provenance)
    expect(byReplicate(0)[0]).toEqual(byReplicate(0)[1])
    expect(byReplicate(1)[0]).toEqual(byReplicate(1)[1])
    expect(byReplicate(0)[0]).not.toEqual(byReplicate(1)[0])
  })

  it('leaves the rest of the expansion as it was without a seed source', async () => {
    const { library } = await setUp()
    const { seed_source: _source, ...factors } = design.factors
    const plain = expandDesign({ ...design, factors }, library).discussions
    const seeded = expandDesign(design, library).discussions
    expect(seeded.map(({ seed_comments: _c, seed_provenance: _p, ...rest }) => rest)).toEqual(plain)
    expect(plain.every((spec) => !('seed_comments' in spec) && !('seed_provenance' in spec))).toBe(true)
  })

  it('reports a corpus that is not loaded and a corpus with too few windows as design problems', async () => {
    const { library } = await setUp()
    expect(() => expandDesign(design, { ...library, corpora: [] })).toThrow(DesignError)
    expect(() => expandDesign(design, { ...library, corpora: [] })).toThrow(/corpus "awry" \(the seed source\) is not in the workspace/)
    const greedy = { ...design, replicates: 3 }
    expect(() => expandDesign(greedy, library)).toThrow(/seed source: 6 seeds were asked for but corpus "awry" has only 3 windows/)
  })

  it('is stored with the design file and read back', async () => {
    const { workspace } = await setUp()
    const stored = await workspace.designs.put(design)
    expect(stored.factors.seed_source).toEqual({
      corpus_id: 'awry',
      k: 2,
      only_flagged: true,
      truncate_to: 40,
      reuse: false,
      assign: 'each-discussion'
    })
    expect(await workspace.designs.get('awry-seeds')).toEqual(stored)
    expect(await loadDesignCorpora(workspace, { factors: {} })).toEqual([])
  })
})

describe('plans for a design with seeds from a corpus', () => {
  it('open each discussion with its sampled real comments and name the corpus and thread as conditions', async () => {
    const { workspace } = await setUp()
    const { plans } = await plansForDesign(workspace, design)
    expect(plans).toHaveLength(2)
    for (const plan of plans) {
      expect(plan.seed_comments).toHaveLength(2)
      expect(plan.seed_comments.every((seed) => seed.text.length <= 40)).toBe(true)
      expect(plan.conditions).toMatchObject({ seed_corpus: 'awry', seed_conversation: expect.any(String) })
    }
  })
})
