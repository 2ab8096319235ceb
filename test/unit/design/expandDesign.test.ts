import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  countDesign,
  DesignError,
  DiscussionSpecSchema,
  estimateDesign,
  expandDesign,
  ExperimentDesignSchema,
  Workspace,
  type DesignLibrary,
  type ExperimentDesignInput
} from '../../../src/core/index.js'
import { tempDir } from '../../helpers/tempDir.js'

const library: DesignLibrary = {
  personas: ['p1', 'p2', 'p3', 'p4', 'p5'].map((id) => ({ id, username: `user_${id}` })),
  topics: [{ id: 't1' }, { id: 't2' }, { id: 't3' }],
  instructions: [
    { id: 'vanilla', kind: 'user' },
    { id: 'rules', kind: 'moderator' },
    { id: 'game', kind: 'moderator' }
  ]
}

const base: ExperimentDesignInput = {
  id: 'pilot',
  name: 'Pilot study',
  seed: 2024,
  replicates: 2,
  factors: {
    personas: { pool: ['p1', 'p2', 'p3', 'p4', 'p5'], users_per_discussion: 3 },
    topics: ['t1', 't2', 't3'],
    user_instructions: ['vanilla'],
    moderator_instructions: ['rules', 'game'],
    turn_policies: [{ kind: 'respond', p_respond: 0.4 }],
    models: [{ model: 'llama-3-8b.gguf' }]
  },
  discussion: { conv_len: 14, history_ctx_len: 2, max_tokens: 400 }
}

describe('expandDesign', () => {
  it('crosses every factor: 3 topics × 2 moderator instructions × 2 replicates = 12 discussions', () => {
    const { counts, discussions } = expandDesign(base, library)
    expect(counts).toMatchObject({ cells: 6, replicates: 2, discussions: 12 })
    expect(discussions).toHaveLength(12)
    const cells = discussions.map((d) => `${d.topic_id}/${d.moderator_instruction_id}`)
    expect(new Set(cells).size).toBe(6)
    for (const cell of new Set(cells)) expect(cells.filter((c) => c === cell)).toHaveLength(2)
    // Replicates are outermost: the first six discussions already cover every cell once.
    expect(new Set(cells.slice(0, 6)).size).toBe(6)
    expect(discussions.slice(0, 3).map((d) => [d.topic_id, d.moderator_instruction_id])).toEqual([
      ['t1', 'rules'],
      ['t1', 'game'],
      ['t2', 'rules']
    ])
  })

  it('gives every discussion a stable id, its levels, its personas and its own seed', () => {
    const { discussions } = expandDesign(base, library)
    const first = discussions[0]!
    expect(DiscussionSpecSchema.parse(first)).toEqual(first)
    expect(discussions.map((d) => d.id).slice(0, 3)).toEqual(['pilot-0000', 'pilot-0001', 'pilot-0002'])
    expect(first).toMatchObject({
      design_id: 'pilot',
      index: 0,
      cell: 0,
      replicate: 0,
      conv_len: 14,
      history_ctx_len: 2,
      max_tokens: 400,
      moderator_name: 'moderator',
      moderator_attributes: ['just', 'strict', 'understanding'],
      moderator_policy: { kind: 'after-every-comment', silent_does_not_take_history_slot: false },
      turn_policy: { kind: 'respond', p_respond: 0.4 },
      model: { model: 'llama-3-8b.gguf', sampling: {} },
      prompt_mode: { kind: 'modern', history: 'transcript' }
    })
    expect(new Set(discussions.map((d) => d.seed)).size).toBe(12)
  })

  it('is reproducible: the same design and seed expand to the same list, another seed to another', () => {
    expect(expandDesign(base, library)).toEqual(expandDesign(base, library))
    const other = expandDesign({ ...base, seed: 2025 }, library).discussions.map((d) => d.persona_ids)
    expect(other).not.toEqual(expandDesign(base, library).discussions.map((d) => d.persona_ids))
  })

  it('never samples a persona twice within a discussion', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 32 }), fc.integer({ min: 1, max: 5 }), (seed, users) => {
        const design = { ...base, seed, factors: { ...base.factors, personas: { pool: base.factors.personas.pool, users_per_discussion: users } } }
        for (const discussion of expandDesign(design, library).discussions) {
          expect(new Set(discussion.persona_ids).size).toBe(users)
          expect(discussion.persona_ids.every((id) => base.factors.personas.pool.includes(id))).toBe(true)
        }
      }),
      { numRuns: 50 }
    )
  })

  it('samples N combinations reproducibly, each factor level drawn from the recorded seed', () => {
    const sampled: ExperimentDesignInput = { ...base, mode: { kind: 'sample', count: 20 }, replicates: 1 }
    const { counts, discussions } = expandDesign(sampled, library)
    expect(counts).toMatchObject({ cells: 20, discussions: 20 })
    expect(discussions).toEqual(expandDesign(sampled, library).discussions)
    expect(new Set(discussions.map((d) => d.topic_id))).toEqual(new Set(['t1', 't2', 't3']))
    expect(expandDesign({ ...sampled, seed: 1 }, library).discussions.map((d) => d.topic_id)).not.toEqual(
      discussions.map((d) => d.topic_id)
    )
  })

  it('keeps earlier persona samples when a topic is added', () => {
    const more = { ...base, factors: { ...base.factors, topics: ['t1', 't2', 't3', 't4'] } }
    const withT4: DesignLibrary = { ...library, topics: [...library.topics, { id: 't4' }] }
    const before = expandDesign(base, library).discussions.map((d) => d.persona_ids)
    const after = expandDesign(more, withT4).discussions.map((d) => d.persona_ids)
    expect(after.slice(0, before.length)).toEqual(before)
  })

  it('refuses more users per discussion than the pool holds, saying what to do', () => {
    const tooMany = { ...base, factors: { ...base.factors, personas: { pool: ['p1', 'p2'], users_per_discussion: 3 } } }
    expect(() => expandDesign(tooMany, library)).toThrow(DesignError)
    expect(() => expandDesign(tooMany, library)).toThrow(
      'invalid design: field factors.personas.users_per_discussion: is 3 but the persona pool holds only 2 personas; ' +
        'personas are drawn without replacement within a discussion, so add personas or lower users_per_discussion'
    )
  })

  it('lists every missing or mismatched reference at once', () => {
    const broken = {
      ...base,
      factors: { ...base.factors, topics: ['t1', 'nope'], user_instructions: ['rules'], moderator_instructions: ['missing', null] }
    }
    try {
      expandDesign(broken, library)
      expect.unreachable()
    } catch (error) {
      expect((error as DesignError).problems).toEqual([
        'topics not in the workspace: nope',
        'instruction "rules" is a moderator instruction, not a user instruction',
        'moderator instructions not in the workspace: missing'
      ])
    }
  })

  it('refuses a pool in which two personas share a username', () => {
    const clash: DesignLibrary = { ...library, personas: [...library.personas.slice(0, 4), { id: 'p5', username: 'user_p1' }] }
    expect(() => expandDesign(base, clash)).toThrow('personas "p1" and "p5" share the username "user_p1"')
  })
})

describe('estimateDesign', () => {
  it('counts discussions, calls, tokens and time from the settings', () => {
    const design = ExperimentDesignSchema.parse({
      ...base,
      replicates: 1,
      factors: { ...base.factors, topics: ['t1'], moderator_instructions: [null] },
      discussion: { conv_len: 4, history_ctx_len: 2, max_tokens: 100 }
    })
    expect(countDesign(design).discussions).toBe(1)
    // 4 calls seeing 0, 1, 2, 2 comments: 4 × 300 + 5 × 100 prompt tokens; 4 × 100 generated.
    expect(estimateDesign(design, { tokensPerSecond: 10, promptTokensPerSecond: 100 })).toEqual({
      discussions: 1,
      calls: 4,
      promptTokens: 1700,
      generatedTokens: 400,
      totalTokens: 2100,
      seconds: 57
    })
  })

  it('adds the moderator where a level has one, weighted by the share of such levels', () => {
    const design = ExperimentDesignSchema.parse(base)
    const estimate = estimateDesign(design, { tokensPerSecond: 20, promptTokensPerSecond: 500, commentTokens: 60 })
    expect(estimate.discussions).toBe(12)
    expect(estimate.calls).toBe(12 * 28)
    expect(estimate.generatedTokens).toBe(12 * 28 * 60)
  })
})

describe('design files in a workspace', () => {
  it('are stored as designs/<id>.json and read back unchanged', async () => {
    const workspace = await Workspace.create(await tempDir())
    const stored = await workspace.designs.put(base)
    expect(await readdir(join(workspace.root, 'designs'))).toEqual(['pilot.json'])
    expect(await workspace.designs.get('pilot')).toEqual(stored)
    expect(expandDesign(stored, library)).toEqual(expandDesign(base, library))
    await expect(workspace.designs.put({ ...base, id: '../escape' })).rejects.toThrow(/invalid experiment design/)
  })
})
