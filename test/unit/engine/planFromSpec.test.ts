import { describe, expect, it } from 'vitest'
import {
  expandDesign,
  planFromSpec,
  PlanError,
  SDF_V01_CONTEXT,
  sdfV0Context,
  type PlanLibrary
} from '../../../src/core/index.js'
import { run } from './engineSupport.js'
import { ScriptedBackend } from './scriptedBackend.js'
import { INSTRUCTIONS, PERSONAS, testDesign, TOPICS } from './workspaceSupport.js'

const library: PlanLibrary = { personas: PERSONAS, topics: TOPICS, instructions: INSTRUCTIONS }

function specs(overrides = {}) {
  return expandDesign(testDesign(overrides), library).discussions
}

describe('planFromSpec', () => {
  it('resolves every reference of a spec into a runnable plan', () => {
    const [spec] = specs()
    const plan = planFromSpec(spec!, library)
    expect(plan).toMatchObject({
      id: 'pilot-0000',
      seed: spec!.seed,
      origin: { kind: 'spec', design_id: 'pilot', index: 0 },
      topic_id: 'pizza',
      user_instructions: 'Write a brief comment.',
      user_instruction_id: 'vanilla',
      moderator: { name: 'moderator', attributes: ['just', 'strict', 'understanding'], instructions: 'Enforce the rules.', instruction_id: 'rules' },
      conv_len: 4,
      history_ctx_len: 3,
      max_tokens: 12,
      model: 'tiny.gguf',
      sampling: { temperature: 0.8, topK: 40 },
      cleaning: [{ kind: 'remove-strings', strings: ['```'] }],
      conditions: {
        topic: 'pizza',
        user_instructions: 'vanilla',
        moderator_instructions: 'rules',
        turn_policy: 'random',
        model: 'tiny.gguf temperature=0.8 topK=40',
        prompt_mode: 'sdf-v0 attribute_style=field-value-sex-word prompt_format=sdf-alpaca'
      }
    })
    expect(plan.users.map((user) => user.persona_id)).toEqual(spec!.persona_ids)
    for (const user of plan.users) {
      expect(user.attributes).toBeNull()
      expect(user.persona).not.toHaveProperty('id')
    }
  })

  it("places the topic where the prompt mode's SDF version had it", () => {
    const place = (prompt_mode: object, topic = 'pizza') => {
      const spec = specs({ factors: { ...testDesign().factors, topics: [topic], prompt_modes: [prompt_mode] } })[0]!
      const { context, topic: shown, seed_comments } = planFromSpec(spec, library)
      return { context, topic: shown, seed_comments }
    }
    expect(place({ kind: 'sdf-v0' })).toEqual({ context: sdfV0Context('Pineapple on pizza is a crime.\n'), topic: null, seed_comments: [] })
    expect(place({ kind: 'sdf-v0.1' })).toEqual({
      context: SDF_V01_CONTEXT,
      topic: null,
      seed_comments: [{ author: null, text: 'Pineapple on pizza is a crime.\n' }]
    })
    expect(place({ kind: 'modern' })).toEqual({ context: '', topic: 'Pineapple on pizza is a crime.\n', seed_comments: [] })
    expect(place({ kind: 'modern' }, 'cats').seed_comments).toEqual([{ author: 'Ann', text: 'Obviously.' }])
  })

  it('names every missing record', () => {
    const [spec] = specs()
    const empty: PlanLibrary = { personas: [], topics: [], instructions: [] }
    expect(() => planFromSpec(spec!, empty)).toThrow(PlanError)
    try {
      planFromSpec(spec!, empty)
    } catch (error) {
      expect((error as PlanError).problems).toHaveLength(4)
    }
  })

  it('runs in the modern mode with the chat template, recording the messages as the prompt', async () => {
    const spec = specs({ factors: { ...testDesign().factors, prompt_modes: [{ kind: 'modern' }] } })[0]!
    const backend = new ScriptedBackend()
    const { discussion } = await run(planFromSpec(spec, library), backend)
    expect(backend.calls[0]!.request).toMatchObject({ promptFormat: 'chat-template', stop: [] })
    const first = discussion.comments[0]!
    expect(JSON.parse(first.prompt!)).toEqual(backend.calls[0]!.request.messages)
    expect(first.prompt).toContain('The discussion is about this post')
    expect(discussion.topic_id).toBe('pizza')
    expect(discussion.conditions).toMatchObject({ topic: 'pizza', prompt_mode: 'modern history=transcript' })
  })
})
