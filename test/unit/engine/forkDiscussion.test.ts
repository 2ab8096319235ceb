import { describe, expect, it } from 'vitest'
import { forkDiscussion, generationRecordOf, PlanError, SeededRandom } from '../../../src/core/index.js'
import { ofType, run, sdfPlan, withoutTimings } from './engineSupport.js'
import { echoReply, ScriptedBackend, type Reply } from './scriptedBackend.js'

/** Step 2 (Bob's first turn) is silent; every other reply echoes its request. */
const SILENT_SEED = SeededRandom.fromSeed(42).fork('calls').fork(2).nextSeed()
const script: Reply = (call, index) => (call.request.sampling?.seed === SILENT_SEED ? '   ' : echoReply(call, index))

/** Ann, (Bob silent), Cid, Ann, Bob, each answered by the moderator. */
async function original() {
  const plan = sdfPlan()
  const result = await run(plan, new ScriptedBackend(script))
  return { plan, ...result }
}

describe('forkDiscussion (counterfactual replay)', () => {
  it('keeps comments 0..k-1 verbatim, roles and all, and continues from there', async () => {
    const { discussion } = await original()
    const plan = forkDiscussion(discussion, 3, { user_instructions: 'Be rude.' })
    expect(plan.id).toBe('conv-1-fork-3')
    expect(plan.origin).toEqual({ kind: 'fork', discussion_id: 'conv-1', at_comment: 3 })
    expect(plan.conditions).toEqual({ fork_of: 'conv-1', fork_at: '3', fork_changes: 'user_instructions' })
    const forked = await run(plan, new ScriptedBackend())
    expect(forked.discussion.comments.slice(0, 3)).toEqual(discussion.comments.slice(0, 3))
    expect(forked.discussion.comments[3]?.role).toBe('moderator')
    // The changed instructions reach the new prompts only.
    expect(forked.discussion.comments[2]?.prompt).not.toContain('Be rude.')
    expect(forked.discussion.comments.slice(4).filter((c) => c.role === 'user').every((c) => c.prompt?.includes('Be rude.'))).toBe(true)
  })

  it("counts the turns already taken, the silent ones included, towards conv_len", async () => {
    const { discussion } = await original()
    // Comment 2 is Cid's, made on turn 2: turns 0 (Ann) and 1 (Bob, silent) are inherited.
    const plan = forkDiscussion(discussion, 2)
    expect(plan.prefix).toMatchObject({ turns_taken: 2, previous_speakers: ['Ann', 'Bob'], pending_moderator_reply: false })
    const backend = new ScriptedBackend()
    await run(plan, backend)
    expect(backend.calls.filter((call) => call.speaker !== 'moderator').map((call) => call.speaker)).toEqual(['Cid', 'Ann', 'Bob'])
  })

  it('with nothing changed, continues exactly as the original did', async () => {
    const { discussion } = await original()
    for (const k of [0, 2, 3, 5, discussion.comments.length]) {
      // The same id too: agents are keyed by it, and the echo replies depend on the key.
      const forked = await run(forkDiscussion(discussion, k, { id: discussion.id }), new ScriptedBackend(script))
      expect(forked.discussion.comments.map(withoutTimings), `fork at ${k}`).toEqual(discussion.comments.map(withoutTimings))
    }
  })

  it('forking at a moderator reply redoes just that reply, then the remaining turns', async () => {
    const { discussion } = await original()
    expect(discussion.comments[3]?.role).toBe('moderator')
    const plan = forkDiscussion(discussion, 3, { moderator_instructions: 'Ban everyone.' })
    expect(plan.prefix).toMatchObject({ turns_taken: 3, pending_moderator_reply: true })
    const backend = new ScriptedBackend()
    const forked = await run(plan, backend)
    expect(backend.calls[0]?.speaker).toBe('moderator')
    expect(forked.discussion.comments[3]).toMatchObject({ role: 'moderator', reply_to: 2 })
    expect(forked.discussion.comments[3]?.prompt).toContain('Ban everyone.')
    expect(backend.calls.filter((call) => call.speaker !== 'moderator')).toHaveLength(2)
  })

  it('applies other changes: model, sampling, turn policy, conv_len; and records its own steps for the next fork', async () => {
    const { discussion } = await original()
    const plan = forkDiscussion(discussion, 2, {
      model: 'other-model',
      sampling: { temperature: 0.9 },
      turn_policy: { kind: 'random' },
      conv_len: 8,
      moderator: null
    })
    expect(plan).toMatchObject({ model: 'other-model', sampling: { temperature: 0.9 }, moderator: null, conv_len: 8 })
    const forked = await run(plan, new ScriptedBackend())
    expect(ofType(forked.events, 'step').filter((e) => e.step.phase === 'user')).toHaveLength(6)
    const record = generationRecordOf(forked.discussion)
    expect(record?.steps.length).toBeGreaterThan(6)
    const again = forkDiscussion(forked.discussion, forked.discussion.comments.length - 1)
    expect(again.prefix?.turns_taken).toBeGreaterThan(2)
  })

  it('refuses what cannot be continued', async () => {
    const { discussion } = await original()
    expect(() => forkDiscussion(discussion, 99)).toThrow(RangeError)
    expect(() => forkDiscussion(discussion, 6, { conv_len: 2 })).toThrow(PlanError)
    expect(() => forkDiscussion(discussion, 2, { unknown: 1 } as never)).toThrow()
    const imported = { ...discussion, extra: {} }
    expect(() => forkDiscussion(imported, 2)).toThrow(/no generation record/)
    // With the plan given, an imported discussion counts one turn per user comment.
    const plan = forkDiscussion(imported, 4, {}, { plan: sdfPlan() })
    expect(plan.prefix).toMatchObject({ turns_taken: 2, previous_speakers: ['Ann', 'Cid'], steps_taken: 0 })
  })
})
