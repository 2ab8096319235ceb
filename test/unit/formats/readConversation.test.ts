import { describe, expect, it } from 'vitest'
import { DiscussionSchema } from '../../../src/core/schema/index.js'
import { fixture, fixtureJson, formatError, jsonFile, parsedAs } from './formatTestSupport.js'

const V0 = 'v0/discussions_output/collective_constitution/24-11-15-12-43.json'
const V0_NO_MOD = 'v0/discussions_output/vanilla_no_mod/24-10-19-18-16.json'
const V0_FIELDS = 'v0/discussions_output/moderation_game/24-12-01-10-05.json'
const V01 = 'v0.1/discussions_output/collective_constitution/25-01-02-21-59.json'
const V02 = 'v0.2/discussions_output/moderation_game/25-02-01-12-00.json'
const SYN20 = 'syndisco-2.0/discussions_output/main/llama8b_vanilla.txt/26-02-10-22-32-56.json'
const SYN21 = 'syndisco-2.1/discussions_output/26-05-01-10-00.json'

describe('reading v0 conversations ([name, text] logs)', () => {
  const { discussion, format } = parsedAs('discussion', fixture(V0))

  it('is recognised as v0 and keeps id, timestamp and the history window', () => {
    expect(format).toBe('sdf-v0-conversation')
    expect(discussion).toMatchObject({
      id: '0b1c9f3e-5a55-4f0e-9d61-3c8e2f9b7a10',
      timestamp: '24-11-15-12-43',
      status: 'complete',
      moderator: 'moderator',
      history_ctx_len: 2,
      topic_id: null,
      config_id: null,
      run_id: null
    })
  })

  it('turns every log entry into a comment, the empty moderator reply included, text verbatim', () => {
    const raw = fixtureJson(V0).logs as [string, string][]
    expect(discussion.comments).toHaveLength(raw.length)
    discussion.comments.forEach((comment, index) => {
      expect(comment).toEqual({
        index,
        author: raw[index]?.[0],
        role: raw[index]?.[0] === 'moderator' ? 'moderator' : 'user',
        raw_text: raw[index]?.[1],
        text: raw[index]?.[1],
        model: null,
        reply_to: null,
        seed: null,
        prompt: null
      })
    })
    expect(discussion.comments[3]).toMatchObject({ author: 'moderator', role: 'moderator', text: '' })
    expect(discussion.comments[4]?.text).toBe('Je suis d’accord 😀 — let\'s calm down.')
  })

  it('lists users in file order with personas recovered from their prompts, then the moderator', () => {
    expect(discussion.participants.map((p) => [p.username, p.role, p.persona_origin])).toEqual([
      ['DarkShadow333', 'user', 'recovered-from-prompt'],
      ['doing_my_best24', 'user', 'recovered-from-prompt'],
      ['Zoë_Ω', 'user', 'recovered-from-prompt'],
      ['moderator', 'moderator', 'name-only']
    ])
    const raw = fixtureJson(V0)
    expect(discussion.participants.map((p) => p.system_prompt)).toEqual([
      ...(raw.user_prompts as string[]),
      raw.moderator_prompt
    ])
    expect(discussion.participants[1]?.persona).toMatchObject({
      age: 24,
      sex: 'female',
      education_level: 'PhD',
      special_instructions: 'Be helpful towards other users.',
      personality_characteristics: ['empathetic', 'calm', 'artistic', 'agreeable']
    })
  })

  it('keeps the shared context and the v0-only keys (user_types, moderator_type) in extra', () => {
    expect(discussion.context).toMatch(/^You are a human participating in an online chatroom\. .*normal sex\.\n'$/s)
    expect(discussion.extra).toEqual({ user_types: ['str', 'str', 'str'], moderator_type: 'LLMUser' })
  })

  it('reads conversations without a moderator (v-1 attribute style)', () => {
    const result = parsedAs('discussion', fixture(V0_NO_MOD)).discussion
    expect(result.moderator).toBeNull()
    expect(result.participants.map((p) => p.role)).toEqual(['user', 'user'])
    expect(result.participants[0]?.persona).toMatchObject({ age: 29, intent: 'Troll', education_level: 'High School' })
    expect(result.extra).toEqual({ user_types: ['str', 'str'], moderator_type: null })
  })

  it('recovers `field: value` personas with Python list reprs and the trailing sex word', () => {
    const [zoe, sam] = parsedAs('discussion', fixture(V0_FIELDS)).discussion.participants
    expect(zoe?.persona).toEqual({
      username: 'Zoë_Ω',
      age: 41,
      sex: 'Female',
      sexual_orientation: 'Heterosexual',
      demographic_group: 'Française',
      current_employment: 'Café owner',
      education_level: 'College',
      special_instructions: '',
      personality_characteristics: ['warm', "it's complicated", 'débonnaire'],
      extra_attributes: {}
    })
    expect(sam?.persona.sex).toBe('non-binary')
  })
})

describe('reading v0.1 / v0.2 conversations (dict logs)', () => {
  it('marks "hardcoded" entries as seed comments even when the seed author is no participant', () => {
    const { discussion, format } = parsedAs('discussion', fixture(V01))
    expect(format).toBe('sdf-v0.1-conversation')
    expect(discussion.comments[0]).toMatchObject({ author: 'FirstUser', role: 'seed', model: 'hardcoded' })
    expect(discussion.comments.slice(1).map((c) => [c.role, c.model])).toEqual([
      ['user', 'mistral-small'],
      ['moderator', 'mistral-small'],
      ['user', 'mistral-small'],
      ['moderator', 'mistral-small']
    ])
    expect(discussion.participants.map((p) => p.username)).toEqual(['DarkShadow333', 'doing_my_best24', 'moderator'])
    expect(discussion.context).toBe('You are a human participating in an online chatroom.')
    expect(discussion.participants[0]?.persona.special_instructions).toMatch(/derail the conversation, violate the rules/)
  })

  it('keeps the short-lived top-level "model" key (Dec 2024) in extra', () => {
    const raw = { ...fixtureJson(V01), model: 'mistral-small' }
    expect(parsedAs('discussion', jsonFile('c.json', raw)).discussion.extra).toEqual({ model: 'mistral-small' })
  })

  it('marks a seed said by an existing participant as a seed, and keeps unknown keys in extra', () => {
    const { discussion } = parsedAs('discussion', fixture(V02))
    expect(discussion.comments[0]).toMatchObject({ author: 'Zoë_Ω', role: 'seed' })
    expect(discussion.comments[1]).toMatchObject({ role: 'user', model: 'llama-3.1-70b-4bit' })
    expect(discussion.extra).toEqual({ conv_variant_note: 'kept verbatim' })
  })
})

describe('reading syndisco conversations', () => {
  it('reads 2.0 files (in a folder named *.txt) with personas from the JSON prompts', () => {
    const { discussion, format } = parsedAs('discussion', fixture(SYN20))
    expect(format).toBe('syndisco-2.0-conversation')
    expect(discussion.participants.map((p) => [p.username, p.role, p.persona_origin])).toEqual([
      ['terminal-pheasant', 'user', 'json-prompt'],
      ['quiet-otter', 'user', 'json-prompt'],
      ['moderator', 'moderator', 'json-prompt']
    ])
    expect(discussion.participants[0]?.persona).toMatchObject({ age: '18-24', personality_characteristics: ['curious', 'blunt'] })
    expect(discussion.participants[2]?.persona.current_employment).toBe('moderator')
    expect(discussion.comments.map((c) => c.role)).toEqual(['seed', 'seed', 'user', 'moderator', 'user'])
    expect(discussion.context).toMatch(/^Pretend that you are a human/)
  })

  it('reads 2.1 Logs files: id from the content hash, speakers as participants, prompts kept per comment', () => {
    const file = fixture(SYN21)
    const { discussion, format } = parsedAs('discussion', file)
    expect(format).toBe('syndisco-2.1-logs')
    expect(discussion.id).toBe(`syndisco-${file.sha256.slice(0, 16)}`)
    expect(discussion.moderator).toBeNull()
    expect(discussion.participants.map((p) => [p.username, p.role])).toEqual([
      ['amber-lynx', 'user'],
      ['moderator', 'user']
    ])
    expect(discussion.participants[0]?.persona).toEqual({
      username: 'amber-lynx',
      age: '25-34',
      extra_attributes: { political_leaning: 'left' }
    })
    expect(discussion.comments.map((c) => c.role)).toEqual(['seed', 'user', 'user', 'user'])
    expect(discussion.comments[1]?.prompt).toBe((fixtureJson(SYN21).logs as { prompt: string }[])[1]?.prompt)
  })

  it('takes an entry without a model and with an empty persona as a seed, but not a model’s reply', () => {
    const prompt = JSON.stringify({ context: '', instructions: '', type: 'user', persona: {} })
    const raw = {
      timestamp: 't',
      logs: [
        { name: 'a', text: 'seed', model: null, prompt },
        { name: 'a', text: 'reply', model: 'qwen', prompt }
      ]
    }
    const { discussion } = parsedAs('discussion', jsonFile('logs.json', raw))
    expect(discussion.comments.map((c) => c.role)).toEqual(['seed', 'user'])
    expect(discussion.participants[0]).toMatchObject({ username: 'a', persona_origin: 'json-prompt' })
  })

  it('derives the same id every time the same file is read', () => {
    expect(parsedAs('discussion', fixture(SYN21)).discussion.id).toBe(parsedAs('discussion', fixture(SYN21)).discussion.id)
  })
})

describe('conversations with only the required keys', () => {
  it('leave timestamp, history window, prompts and models empty rather than failing', () => {
    const { discussion } = parsedAs('discussion', fixture('v0.1/discussions_output/minimal/25-01-05-10-00.json'))
    expect(discussion).toMatchObject({ timestamp: null, history_ctx_len: null, moderator: null, context: null, extra: {} })
    expect(discussion.participants).toEqual([
      {
        username: 'SportyAce23',
        role: 'user',
        persona: { username: 'SportyAce23', extra_attributes: {} },
        persona_origin: 'name-only',
        system_prompt: null
      }
    ])
    expect(discussion.comments.map((c) => [c.text, c.model])).toEqual([
      ['Hello?', null],
      ['Anyone?', null]
    ])
  })

  it('take the speakers as users when the file lists none', () => {
    const raw = { id: 'x', logs: [{ name: 'a', text: '1' }, { name: 'moderator', text: '2' }, { name: 'b', text: '3' }, { name: 'a', text: '4' }], moderator: 'moderator' }
    const { discussion } = parsedAs('discussion', jsonFile('c.json', raw))
    expect(discussion.participants.map((p) => [p.username, p.role])).toEqual([
      ['a', 'user'],
      ['b', 'user'],
      ['moderator', 'moderator']
    ])
  })
})

describe('conversation rules shared by all versions', () => {
  const base = fixtureJson(V01)

  it('decides the moderator by exact name, never by substring', () => {
    const raw = {
      ...base,
      users: ['moderator_fan', 'DarkShadow333'],
      logs: [
        { name: 'moderator_fan', text: 'hi', model: 'm' },
        { name: 'moderator', text: 'hello', model: 'm' }
      ]
    }
    const { discussion } = parsedAs('discussion', jsonFile('c.json', raw))
    expect(discussion.comments.map((c) => c.role)).toEqual(['user', 'moderator'])
    expect(discussion.participants.find((p) => p.username === 'moderator_fan')?.role).toBe('user')
  })

  it('gives a moderator listed among the users the moderator role once', () => {
    const raw = { ...base, users: ['DarkShadow333', 'moderator'] }
    const { discussion } = parsedAs('discussion', jsonFile('c.json', raw))
    expect(discussion.participants.map((p) => [p.username, p.role])).toEqual([
      ['DarkShadow333', 'user'],
      ['moderator', 'moderator']
    ])
  })

  it('keeps a participant whose prompt cannot be read, with just its name', () => {
    const raw = { ...base, user_prompts: ['something else entirely', 42] }
    const { discussion } = parsedAs('discussion', jsonFile('c.json', raw))
    expect(discussion.participants[0]).toMatchObject({
      persona: { username: 'DarkShadow333', extra_attributes: {} },
      persona_origin: 'name-only',
      system_prompt: 'something else entirely'
    })
    expect(discussion.participants[1]).toMatchObject({ persona_origin: 'name-only', system_prompt: null })
  })

  it('validates against DiscussionSchema', () => {
    for (const path of [V0, V0_NO_MOD, V0_FIELDS, V01, V02, SYN20, SYN21]) {
      expect(DiscussionSchema.safeParse(parsedAs('discussion', fixture(path)).discussion).success).toBe(true)
    }
  })

  it('reads a conversation by its content whatever its extension', () => {
    const text = fixture(V0).text
    expect(parsedAs('discussion', { path: 'renamed/conversation.txt', text, sha256: '' }).format).toBe('sdf-v0-conversation')
  })

  describe('rejects broken conversations with the field to blame', () => {
    it('a log entry of the wrong shape', () => {
      const error = formatError(jsonFile('c.json', { ...base, logs: [...(base.logs as unknown[]).slice(0, 3), 7] }))
      expect(error.describe()).toBe('c.json: field logs[3]: expected [username, text] pair or {name, text} object, got number')
      expect(formatError(jsonFile('c.json', { ...base, logs: [['a', 'b', 'c']] })).field).toBe('logs[0]')
      expect(formatError(jsonFile('c.json', { ...base, logs: [['a', null]] })).field).toBe('logs[0][1]')
      expect(formatError(jsonFile('c.json', { ...base, logs: [{ name: 'a' }] })).field).toBe('logs[0].text')
    })

    it('duplicate usernames', () => {
      const error = formatError(jsonFile('c.json', { ...base, users: ['a', 'a'], user_prompts: ['x', 'y'] }))
      expect(error.field).toBe('users')
      expect(error.message).toMatch(/duplicate username "a"/)
    })

    it('an id that could escape a folder or is not a name at all', () => {
      for (const id of ['../../etc/passwd', 'a b', '', '.hidden', 'x'.repeat(200)]) {
        expect(formatError(jsonFile('c.json', { ...base, id })).field).toBe('id')
      }
      expect(formatError(jsonFile('c.json', { ...base, id: 12 })).message).toBe('expected a string, got number')
    })

    it('other wrongly typed keys', () => {
      expect(formatError(jsonFile('c.json', { ...base, ctx_length: 'four' })).field).toBe('ctx_length')
      expect(formatError(jsonFile('c.json', { ...base, users: 'DarkShadow333' })).field).toBe('users')
      expect(formatError(jsonFile('c.json', { ...base, user_prompts: ['only one'] })).field).toBe('user_prompts')
      expect(formatError(jsonFile('c.json', { ...base, moderator: 5 })).field).toBe('moderator')
      expect(formatError(jsonFile('c.json', { ...base, logs: 'none' })).field).toBe('logs')
    })
  })
})
