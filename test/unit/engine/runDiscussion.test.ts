import { describe, expect, it } from 'vitest'
import {
  BackendError,
  DiscussionEventSchema,
  DiscussionSchema,
  renderAlpacaPrompt,
  SDF_STOP_STRINGS,
  runDiscussion,
  SDF_V0_SAMPLING,
  SeededRandom,
  sdfHistoryItem,
  sdfUserPrompt,
  sdfV0SystemPrompt,
  type EngineStep
} from '../../../src/core/index.js'
import { collect, ofType, run, sdfPlan, TOPIC, withoutTimings } from './engineSupport.js'
import { echoReply, fixedClock, ScriptedBackend, scriptedReplies } from './scriptedBackend.js'

const SCRIPT = {
  Ann: ['Hello all', 'Again ```x```'],
  Bob: ['  \n ', 'Bob two'],
  Cid: ['Cid here'],
  moderator: ['', 'Be civil.', ' ', 'ok']
}

describe('the SDF v0 loop (spec §2.2)', () => {
  it('makes conv_len user attempts, drops blank user replies, and lets the moderator answer every non-blank comment', async () => {
    const backend = new ScriptedBackend(scriptedReplies(SCRIPT))
    const { events, discussion } = await run(sdfPlan(), backend)

    expect(discussion.comments.map((c) => [c.author, c.role, c.text])).toEqual([
      ['Ann', 'user', 'Hello all'],
      ['moderator', 'moderator', ''],
      ['Cid', 'user', 'Cid here'],
      ['moderator', 'moderator', 'Be civil.'],
      ['Ann', 'user', 'Again x'],
      ['moderator', 'moderator', ' '],
      ['Bob', 'user', 'Bob two'],
      ['moderator', 'moderator', 'ok']
    ])
    // 5 user attempts (Bob's first was blank) + 4 moderator replies.
    expect(backend.calls.map((call) => call.speaker)).toEqual(['Ann', 'moderator', 'Bob', 'Cid', 'moderator', 'Ann', 'moderator', 'Bob', 'moderator'])
    expect(ofType(events, 'silent-turn')).toEqual([{ type: 'silent-turn', discussion_id: 'conv-1', turn: 1, speaker: 'Bob', replayed: false }])
    expect(ofType(events, 'moderator-silent').map((e) => [e.reason, e.comment_index])).toEqual([['blank-reply', 1], ['blank-reply', 5]])
    expect(ofType(events, 'moderator-intervention').map((e) => e.comment_index)).toEqual([3, 7])
    expect(discussion.comments.filter((c) => c.role === 'moderator').map((c) => c.reply_to)).toEqual([0, 2, 4, 6])
  })

  it('keeps the raw reply and logs the cleaned one (only ``` removed, nothing trimmed)', async () => {
    const { discussion } = await run(sdfPlan(), new ScriptedBackend(scriptedReplies({ ...SCRIPT, Ann: [' spaced ```out``` '] })))
    expect(discussion.comments[0]).toMatchObject({ raw_text: ' spaced ```out``` ', text: ' spaced out ' })
  })

  it("gives a blank moderator reply a history slot: the next speaker sees it as SDF's empty line", async () => {
    const backend = new ScriptedBackend(scriptedReplies(SCRIPT))
    await run(sdfPlan(), backend)
    const cid = backend.calls[3]!
    expect(cid.speaker).toBe('Cid')
    // Window of 2: Ann's comment, then the moderator's blank reply ("").
    expect(cid.request.messages[1]!.content).toBe('User Ann posted:\nHello all\n\nUser Cid posted:')
  })

  it("records per comment the exact prompt SDF's prompt functions produce, and sends it as SDF did", async () => {
    const plan = sdfPlan()
    const backend = new ScriptedBackend(scriptedReplies(SCRIPT))
    const { discussion } = await run(plan, backend)
    const context = plan.context
    const cid = discussion.comments[2]!
    const cidSystem = sdfV0SystemPrompt({ name: 'Cid', attributes: ['username: Cid', 'age: 35', 'non-binary'], context, instructions: 'Write a brief Reddit comment.' })
    const cidUser = sdfUserPrompt([sdfHistoryItem('Ann', 'Hello all'), sdfHistoryItem('moderator', '')], 'Cid')
    expect(cid.prompt).toBe(renderAlpacaPrompt([{ role: 'system', content: cidSystem }, { role: 'user', content: cidUser }]))
    expect(cid.prompt).toBe(`${cidSystem}\n\n### Instruction: ${cidUser}\n\n`)
    expect(context).toBe(`You are a human participating in an online chatroom. You see the following post on a social media site:  '${TOPIC}'`)

    const moderator = discussion.comments[3]!
    const modSystem = sdfV0SystemPrompt({ name: 'moderator', attributes: ['just', 'strict', 'understanding'], context, instructions: 'Keep it civil.' })
    const modUser = sdfUserPrompt([sdfHistoryItem('moderator', ''), sdfHistoryItem('Cid', 'Cid here')], 'moderator')
    expect(moderator.prompt).toBe(`${modSystem}\n\n### Instruction: ${modUser}\n\n`)

    const first = backend.calls[0]!.request
    expect(first).toMatchObject({ promptFormat: 'sdf-alpaca', stop: [...SDF_STOP_STRINGS], maxTokens: 64 })
    expect(first.messages[1]!.content).toBe('\nUser Ann posted:')
    expect(first.sampling).toEqual({ ...SDF_V0_SAMPLING, seed: discussion.comments[0]!.seed })
    expect(discussion.participants.find((p) => p.username === 'Cid')?.system_prompt).toBe(cidSystem)
    expect(discussion.participants.find((p) => p.username === 'moderator')?.system_prompt).toBe(modSystem)
  })

  it('records model, seed and timings from the generation stats on every comment', async () => {
    const { discussion } = await run(sdfPlan(), new ScriptedBackend(scriptedReplies(SCRIPT)))
    for (const comment of discussion.comments) {
      expect(comment.model).toBe('scripted-model')
      expect(comment.timings).toMatchObject({ prompt_tokens: 10, reused_prompt_tokens: 0, generated_tokens: comment.raw_text.length, duration_ms: 2 })
      expect(comment.timings?.started_at).toMatch(/^2025-01-02T/)
    }
  })

  it('opens with the seed opinions as seed comments that the first speaker sees', async () => {
    const backend = new ScriptedBackend(scriptedReplies(SCRIPT))
    const plan = sdfPlan({ seed_comments: [{ author: null, text: 'Pineapple belongs on pizza.' }] })
    const { discussion } = await run(plan, backend)
    expect(discussion.comments[0]).toMatchObject({ index: 0, author: 'FirstUser', role: 'seed', text: 'Pineapple belongs on pizza.', model: null, seed: null })
    expect(discussion.comments[1]).toMatchObject({ author: 'Ann', role: 'user' })
    expect(backend.calls[0]!.request.messages[1]!.content).toBe('User FirstUser posted:\nPineapple belongs on pizza.\nUser Ann posted:')
  })

  it("runs SDF's random_weighted as it really behaved: never the last speaker, whatever respond_probability says", async () => {
    const speakers = async (p: number) => {
      const plan = sdfPlan({ turn_manager_type: 'random_weighted', turn_manager_config: { respond_probability: p }, conv_len: 40, moderator: null })
      const { discussion } = await run(plan, new ScriptedBackend())
      return discussion.comments.map((c) => c.author)
    }
    const low = await speakers(0.3)
    expect(low).toHaveLength(40)
    expect(low.some((name, i) => i > 0 && name === low[i - 1])).toBe(false)
    expect(new Set(low)).toEqual(new Set(['Ann', 'Bob', 'Cid']))
    expect(await speakers(0.9)).toEqual(low)
  })

  it('draws each call seed from the plan seed and the step; `fixed` passes the plan seed to every call as SDF did', async () => {
    const { discussion } = await run(sdfPlan(), new ScriptedBackend(scriptedReplies(SCRIPT)))
    const seeds = discussion.comments.map((c) => c.seed)
    const steps = [0, 1, 3, 4, 5, 6, 7, 8] // step 2 was Bob's silent turn
    expect(seeds).toEqual(steps.map((step) => SeededRandom.fromSeed(42).fork('calls').fork(step).nextSeed()))
    expect(new Set(seeds).size).toBe(seeds.length)

    const fixed = await run(sdfPlan({}, { callSeeds: 'fixed' }), new ScriptedBackend(scriptedReplies(SCRIPT)))
    expect(new Set(fixed.discussion.comments.map((c) => c.seed))).toEqual(new Set([42]))
  })

  it('is deterministic: the same plan and the same replies give the same discussion, byte for byte', async () => {
    const plan = sdfPlan({ turn_manager_type: 'random_weighted', conv_len: 12 })
    const first = await run(plan, new ScriptedBackend())
    const second = await run(plan, new ScriptedBackend())
    expect(JSON.stringify(second.discussion)).toBe(JSON.stringify(first.discussion))
    const other = await run({ ...plan, seed: 7 }, new ScriptedBackend())
    expect(other.discussion.comments.map((c) => c.author)).not.toEqual(first.discussion.comments.map((c) => c.author))
  })

  it('yields typed events in order: turn-started, tokens that join to the raw reply, step, then the comment', async () => {
    const { events } = await run(sdfPlan(), new ScriptedBackend(scriptedReplies(SCRIPT)))
    for (const event of events) expect(DiscussionEventSchema.safeParse(event).success).toBe(true)
    // Pieces that arrive while the consumer is busy come out joined, so here there is one per step.
    expect(events.slice(0, 3).map((e) => e.type)).toEqual(['turn-started', 'tokens', 'step'])
    for (const step of ofType(events, 'step')) {
      const text = ofType(events, 'tokens').filter((t) => t.step === step.step.step).map((t) => t.text).join('')
      expect(text).toBe(step.step.raw_text)
    }
    const firstComment = events.findIndex((e) => e.type === 'comment')
    expect(events[firstComment - 1]?.type).toBe('step')
    expect(events[events.length - 1]?.type).toBe('discussion-done')
    const done = ofType(events, 'discussion-done')[0]!
    expect(DiscussionSchema.parse(done.discussion)).toEqual(done.discussion)
    expect(done.discussion).toMatchObject({ status: 'complete', moderator: 'moderator', history_ctx_len: 2, config_id: 'conv-1', timestamp: expect.stringMatching(/^\d\d-\d\d-\d\d-\d\d-\d\d-\d\d$/) })
  })

  it('keys every call by `<discussion>/<speaker>` and releases those agents at the end; stateless prompting sends no key', async () => {
    const backend = new ScriptedBackend(scriptedReplies(SCRIPT))
    await run(sdfPlan(), backend)
    expect(new Set(backend.calls.map((call) => call.request.agentKey))).toEqual(new Set(['conv-1/Ann', 'conv-1/Bob', 'conv-1/Cid', 'conv-1/moderator']))
    expect(new Set(backend.released)).toEqual(new Set(['conv-1/Ann', 'conv-1/Bob', 'conv-1/Cid', 'conv-1/moderator']))

    const stateless = new ScriptedBackend(scriptedReplies(SCRIPT))
    await run(sdfPlan(), stateless, { reuseAgentPrefixes: false })
    expect(stateless.calls.every((call) => call.request.agentKey === undefined)).toBe(true)
  })
})

describe('replaying journaled steps (resume)', () => {
  async function original() {
    const plan = sdfPlan({ turn_manager_type: 'random_weighted', conv_len: 8 })
    const result = await run(plan, new ScriptedBackend())
    const steps: EngineStep[] = ofType(result.events, 'step').map((e) => e.step)
    return { plan, steps, ...result }
  }

  it('uses the journaled replies for the completed steps and calls the model only for the rest', async () => {
    const { plan, steps, discussion } = await original()
    const backend = new ScriptedBackend()
    const resumed = await run(plan, backend, { replay: steps.slice(0, 5) })
    expect(backend.calls).toHaveLength(steps.length - 5)
    expect(resumed.discussion.comments.map(withoutTimings)).toEqual(discussion.comments.map(withoutTimings))
    expect(ofType(resumed.events, 'step').map((e) => e.replayed)).toEqual(steps.map((_, i) => i < 5))
    expect(ofType(resumed.events, 'tokens').every((e) => e.step >= 5)).toBe(true)
  })

  it('rebuilds a whole discussion from its journal without a single model call', async () => {
    const { plan, steps, discussion } = await original()
    const backend = new ScriptedBackend()
    const replayed = await run(plan, backend, { replay: steps, now: () => new Date(0) })
    expect(backend.calls).toHaveLength(0)
    expect(JSON.stringify(replayed.discussion)).toBe(JSON.stringify(discussion))
  })

  it('refuses a journal that belongs to another plan', async () => {
    const { plan, steps } = await original()
    const backend = new ScriptedBackend()
    const events = await collect(runDiscussion({ ...plan, seed: 43 }, backend, { replay: steps }))
    expect(events[events.length - 1]).toMatchObject({ type: 'error', code: 'replay-mismatch', step: 0 })
    expect(backend.calls).toHaveLength(0)
  })
})

describe('ending early', () => {
  it('cancels on abort: the call in flight stops, no step is reported for it, and the last event says where', async () => {
    const controller = new AbortController()
    const backend = new ScriptedBackend(() => 'a fairly long reply that streams slowly', { chunk: 2, delayMs: 2 })
    const events = []
    for await (const event of runDiscussion(sdfPlan(), backend, { signal: controller.signal, now: fixedClock() })) {
      events.push(event)
      if (event.type === 'tokens' && event.step === 2) controller.abort()
    }
    expect(ofType(events, 'step').map((e) => e.step.step)).toEqual([0, 1])
    expect(events[events.length - 1]).toEqual({ type: 'discussion-cancelled', discussion_id: 'conv-1', step: 2 })
    expect(new Set(backend.released)).toEqual(new Set(['conv-1/Ann', 'conv-1/moderator', 'conv-1/Bob']))
  })

  it('reports a backend failure as an error event with its code, after releasing the agents', async () => {
    const backend = new ScriptedBackend(echoReply, {
      fail: (_call, index) => (index === 2 ? new BackendError('server-error', 'the server fell over') : null)
    })
    const events = await collect(runDiscussion(sdfPlan(), backend, { now: fixedClock() }))
    expect(events[events.length - 1]).toEqual({ type: 'error', discussion_id: 'conv-1', step: 2, code: 'server-error', message: 'the server fell over' })
    expect(backend.released.length).toBeGreaterThan(0)
  })

  it('throws before any event for an invalid plan', async () => {
    const plan = { ...sdfPlan(), users: [] }
    await expect(collect(runDiscussion(plan, new ScriptedBackend()))).rejects.toThrow(/at least one user/)
  })
})

describe('moderator and turn policies beyond SDF v0', () => {
  it('when-addressed: the moderator answers only comments that address it', async () => {
    const plan = { ...sdfPlan(), moderator_policy: { kind: 'when-addressed' as const, silent_does_not_take_history_slot: false } }
    const backend = new ScriptedBackend(scriptedReplies({ Ann: ['hi'], Bob: ['@moderator help'], Cid: ['meh'], moderator: ['Sure.'] }))
    const { events, discussion } = await run({ ...plan, conv_len: 3 }, backend)
    expect(discussion.comments.map((c) => c.author)).toEqual(['Ann', 'Bob', 'moderator', 'Cid'])
    expect(ofType(events, 'moderator-silent').map((e) => [e.turn, e.reason])).toEqual([[0, 'policy'], [2, 'policy']])
  })

  it('llm-decided: asks the moderator model yes or no (constrained), and "no" keeps it silent', async () => {
    const plan = { ...sdfPlan({ conv_len: 2 }), moderator_policy: { kind: 'llm-decided' as const, silent_does_not_take_history_slot: false } }
    let decisions = 0
    const backend = new ScriptedBackend((call, index) => {
      if (call.request.jsonSchema) return ['"no"', '"yes"'][decisions++] ?? '"yes"'
      return echoReply(call, index)
    })
    const { events, discussion } = await run(plan, backend)
    const asked = backend.calls.filter((call) => call.request.jsonSchema)
    expect(asked).toHaveLength(2)
    expect(asked[0]!.request).toMatchObject({ jsonSchema: { type: 'string', enum: ['yes', 'no'] }, promptFormat: 'chat-template', agentKey: 'conv-1/moderator:decision' })
    expect(ofType(events, 'moderator-silent').map((e) => e.reason)).toEqual(['model-declined'])
    expect(discussion.comments.map((c) => c.author)).toEqual(['Ann', 'Bob', 'moderator'])
    expect(ofType(events, 'step').map((e) => e.step.phase)).toEqual(['user', 'moderator-decision', 'user', 'moderator-decision', 'moderator'])
  })

  it('a blank moderator reply stays out of the history when the policy says so (it is still logged)', async () => {
    const plan = { ...sdfPlan({ conv_len: 2 }), moderator_policy: { kind: 'after-every-comment' as const, silent_does_not_take_history_slot: true } }
    const backend = new ScriptedBackend(scriptedReplies({ Ann: ['one'], Bob: ['two'], moderator: ['', 'x'] }))
    const { discussion } = await run(plan, backend)
    expect(discussion.comments.map((c) => c.text)).toEqual(['one', '', 'two', 'x'])
    expect(backend.calls[2]!.request.messages[1]!.content).toBe('User Ann posted:\none\nUser Bob posted:')
  })

  it('llm-chosen: the model picks the next speaker among the allowed names, with a random fallback', async () => {
    const plan = { ...sdfPlan({ conv_len: 3, moderator: null }), turn_policy: { kind: 'llm-chosen' as const, allow_repeat: false } }
    const answers = ['"Cid"', 'nobody', '"Ann"']
    let asked = 0
    const backend = new ScriptedBackend((call, index) => (call.request.jsonSchema ? (answers[asked++] as string) : echoReply(call, index)))
    const { discussion } = await run(plan, backend)
    const questions = backend.calls.filter((call) => call.request.jsonSchema)
    expect(questions[0]!.request.jsonSchema).toEqual({ type: 'string', enum: ['Ann', 'Bob', 'Cid'] })
    expect(questions[1]!.request.jsonSchema).toEqual({ type: 'string', enum: ['Ann', 'Bob'] })
    const authors = discussion.comments.map((c) => c.author)
    expect(authors[0]).toBe('Cid')
    expect(['Ann', 'Bob']).toContain(authors[1])
    expect(authors[2]).toBe('Ann')
  })
})
