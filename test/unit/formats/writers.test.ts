import { describe, expect, it } from 'vitest'
import {
  toLlmConvData,
  toSdfAnnotationFiles,
  toSdfConversation,
  toSdfPersona
} from '../../../src/core/formats/index.js'
import type { Annotation, Discussion } from '../../../src/core/schema/index.js'
import { fixture, fixtureJson, formatError, jsonFile, parsedAs, sourceFile } from './formatTestSupport.js'

const DISCUSSIONS = [
  'v0/discussions_output/collective_constitution/24-11-15-12-43.json',
  'v0/discussions_output/vanilla_no_mod/24-10-19-18-16.json',
  'v0/discussions_output/moderation_game/24-12-01-10-05.json',
  'v0.1/discussions_output/collective_constitution/25-01-02-21-59.json',
  'v0.2/discussions_output/moderation_game/25-02-01-12-00.json',
  'syndisco-2.0/discussions_output/main/llama8b_vanilla.txt/26-02-10-22-32-56.json',
  'syndisco-2.1/discussions_output/26-05-01-10-00.json'
]

function discussionOf(path: string): Omit<Discussion, 'source'> {
  return parsedAs('discussion', fixture(path)).discussion
}

/** Serialised exactly as the caller will: `JSON.stringify(x, null, 4)`. */
function reread(value: unknown, path = 'export/discussion.json') {
  return parsedAs('discussion', sourceFile(path, JSON.stringify(value, null, 4)))
}

describe('writing SDF conversation files', () => {
  it('writes the v0.2 / SynDisco 2.0 keys in SDF order, then sdf_studio', () => {
    const out = toSdfConversation(discussionOf(DISCUSSIONS[0] as string))
    expect(Object.keys(out)).toEqual(['id', 'timestamp', 'users', 'moderator', 'user_prompts', 'moderator_prompt', 'ctx_length', 'logs', 'sdf_studio'])
    const raw = fixtureJson(DISCUSSIONS[0] as string)
    expect(out).toMatchObject({
      id: raw.id,
      timestamp: raw.timestamp,
      users: raw.users,
      moderator: 'moderator',
      user_prompts: raw.user_prompts,
      moderator_prompt: raw.moderator_prompt,
      ctx_length: 2
    })
    expect(out.logs).toEqual((raw.logs as [string, string][]).map(([name, text]) => ({ name, text, model: null })))
  })

  it('writes seed comments with the pseudo-model "hardcoded"', () => {
    const discussion = discussionOf(DISCUSSIONS[3] as string)
    const seeded = { ...discussion, comments: discussion.comments.map((c, i) => (i === 0 ? { ...c, model: 'm' } : c)) }
    const out = toSdfConversation(seeded)
    expect(out.logs[0]).toEqual({ name: 'FirstUser', text: expect.any(String) as string, model: 'hardcoded' })
    expect(reread(out).discussion.comments[0]?.model).toBe('m')
  })

  it("writes a SynDisco 2.0 JSON prompt for participants without a stored prompt, so json.loads(prompt)['persona'] works", () => {
    const discussion = discussionOf(DISCUSSIONS[0] as string)
    const bare = { ...discussion, participants: discussion.participants.map((p) => ({ ...p, system_prompt: null })) }
    const out = toSdfConversation(bare)
    const prompt = JSON.parse(out.user_prompts[2] as string) as Record<string, unknown>
    expect(Object.keys(prompt)).toEqual(['context', 'instructions', 'type', 'persona'])
    expect(prompt).toMatchObject({ context: discussion.context, type: '1', persona: toSdfPersona(bare.participants[2]!.persona) })
    expect(out.user_prompts[2]).toContain('"username": "Zo\\u00eb_\\u03a9"') // Python's ensure_ascii
    expect(JSON.parse(out.moderator_prompt as string)).toMatchObject({ persona: { username: 'moderator' } })
  })

  it.each(DISCUSSIONS)('reads back %s identically after export', (path) => {
    const original = discussionOf(path)
    const { discussion, format } = reread(toSdfConversation(original))
    expect(format).toBe('sdf-studio')
    expect(discussion).toStrictEqual(original)
  })

  it('reads back what SDF cannot hold: status, ids, extra, roles, raw text, reply_to, timings', () => {
    const base = discussionOf(DISCUSSIONS[0] as string)
    const rich: Omit<Discussion, 'source'> = {
      ...base,
      status: 'partial',
      topic_id: 'topic-1',
      config_id: 'config-1',
      run_id: 'run-1',
      extra: { nested: { list: [1, 'two', null] } },
      comments: base.comments.map((c, index) => ({
        ...c,
        text: c.text.trim(),
        reply_to: index > 0 ? index - 1 : null,
        seed: 42,
        prompt: `prompt ${index}`,
        timings: { started_at: '2026-01-01T00:00:00.000Z', generated_tokens: index, duration_ms: 1.5 }
      }))
    }
    expect(reread(toSdfConversation(rich)).discussion).toStrictEqual(rich)
  })

  it('stays a valid SynDisco file: without sdf_studio it reads as a plain 2.0 conversation', () => {
    const discussion = discussionOf(DISCUSSIONS[5] as string)
    const { sdf_studio: _extras, ...plain } = toSdfConversation(discussion)
    const result = reread(plain)
    expect(result.format).toBe('syndisco-2.0-conversation')
    expect(result.discussion.participants).toEqual(discussion.participants)
    expect(result.discussion.comments).toEqual(discussion.comments)
  })

  it('refuses an export whose logs were edited so they no longer match sdf_studio', () => {
    const out = toSdfConversation(discussionOf(DISCUSSIONS[0] as string))
    const error = formatError(jsonFile('x.json', { ...out, logs: out.logs.slice(1) }))
    expect(error.field).toBe('sdf_studio.comments')
    expect(error.message).toMatch(/changed outside SDF Studio/)
  })

  it('checks the read-back discussion with DiscussionSchema, duplicate usernames included', () => {
    const out = toSdfConversation(discussionOf(DISCUSSIONS[0] as string))
    const participants = [...out.sdf_studio.participants, out.sdf_studio.participants[0]]
    const error = formatError(jsonFile('x.json', { ...out, sdf_studio: { ...out.sdf_studio, participants } }))
    expect(error.field).toBe('participants[4].username')
    expect(error.message).toMatch(/^duplicate username "DarkShadow333"/)
  })

  it('refuses exports from a newer SDF Studio and names broken sdf_studio fields', () => {
    const out = toSdfConversation(discussionOf(DISCUSSIONS[0] as string))
    expect(formatError(jsonFile('x.json', { ...out, sdf_studio: { ...out.sdf_studio, version: 2 } })).field).toBe('sdf_studio.version')
    const participants = [{ ...out.sdf_studio.participants[0], persona_origin: 'guessed' }]
    expect(formatError(jsonFile('x.json', { ...out, sdf_studio: { ...out.sdf_studio, participants } })).field).toBe(
      'sdf_studio.participants[0].persona_origin'
    )
  })
})

describe('writing SDF annotation files', () => {
  const discussion = discussionOf(DISCUSSIONS[0] as string)
  const drafts = parsedAs('annotations', fixture('v0/annotations_output/24-11-17-15-28.json')).annotations
  const first: Annotation[] = drafts.map((draft, position) => ({
    ...draft,
    id: `a-${position}`,
    discussion_id: discussion.id,
    comment_index: position
  }))
  const second: Annotation[] = first.slice(0, 2).map((a) => ({
    ...a,
    id: `${a.id}-b`,
    annotator: { ...a.annotator, name: 'qwen', model: 'qwen', persona: null },
    created_at: '2026-01-01T00:00:00.000Z'
  }))

  it('writes one v0.2 annotation file per annotator, messages taken from the discussion', () => {
    const files = toSdfAnnotationFiles(discussion.id, [...second, ...first], { comments: discussion.comments, ctxLength: 4 })
    expect(files).toHaveLength(2)
    const [b, a] = files
    expect(Object.keys(a!)).toEqual(['conv_id', 'timestamp', 'annotator_model', 'annotator_prompt', 'ctx_length', 'logs', 'sdf_studio'])
    expect(a).toMatchObject({ conv_id: discussion.id, timestamp: '24-11-17-15-28', annotator_model: 'LLMAnnotator', ctx_length: 4 })
    expect(a!.logs).toEqual(first.map((r, i) => [discussion.comments[i]!.text, r.raw_text]))
    expect(b).toMatchObject({ annotator_model: 'qwen', timestamp: '2026-01-01T00:00:00.000Z' })
  })

  it('falls back to the quoted text when no comments are given or the record is unlinked', () => {
    const unlinked = { ...first[2]!, comment_index: null }
    const [file] = toSdfAnnotationFiles(discussion.id, [unlinked])
    expect(file!.logs).toEqual([[unlinked.quoted_text, unlinked.raw_text]])
  })

  it('reads back every record with its comment index, values and annotator', () => {
    for (const file of toSdfAnnotationFiles(discussion.id, [...first, ...second], { comments: discussion.comments })) {
      const result = parsedAs('annotations', sourceFile('a.json', JSON.stringify(file, null, 4)))
      expect(result.format).toBe('sdf-studio')
      expect(result.discussionId).toBe(discussion.id)
      const group = file.annotator_model === 'qwen' ? second : first
      expect(result.annotations).toStrictEqual(
        group.map(({ id: _id, discussion_id: _d, source: _s, ...rest }) => rest)
      )
    }
  })

  it('reads as a plain SDF v0.2 annotation file without sdf_studio', () => {
    const [file] = toSdfAnnotationFiles(discussion.id, first, { comments: discussion.comments })
    const { sdf_studio: _extras, ...plain } = file!
    const result = parsedAs('annotations', sourceFile('a.json', JSON.stringify(plain, null, 4)))
    expect(result.format).toBe('sdf-v0.2-annotation')
    expect(result.annotations.map((a) => a.values)).toEqual(first.map((a) => a.values))
  })
})

describe('writing LLMConvData and persona files', () => {
  it('writes LLMConvData in the dataclass key order and reads back the same config', () => {
    const path = 'v0.1/discussions_input/generated/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d.json'
    const { config } = parsedAs('discussion-config', fixture(path))
    const out = toLlmConvData(config)
    expect(out).toStrictEqual(fixtureJson(path))
    expect(Object.keys(out)).toEqual(Object.keys(fixtureJson(path)))
    expect(parsedAs('discussion-config', jsonFile('c.json', out)).config).toStrictEqual(config)
  })

  it('fills the keys a v-1 file left to their defaults', () => {
    const path = 'v-1/generated_discussions_input/conv_data/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9.json'
    const out = toLlmConvData(parsedAs('discussion-config', fixture(path)).config)
    expect(out).toMatchObject({ turn_manager_config: {}, conv_len: 4, history_ctx_len: 4, seed_opinions: [], seed_opinion_usernames: [], moderator_attributes: [] })
  })

  it('writes personas in the order of SDF persona files, extra attributes last, and reads them back', () => {
    const path = 'v0/discussions_input/personas/troll_1.json'
    const [persona] = parsedAs('personas', fixture(path)).personas
    expect(Object.keys(toSdfPersona(persona!))).toEqual(Object.keys(fixtureJson(path)))
    const withExtra = { ...persona!, extra_attributes: { political_leaning: 'left', tags: ['a'] } }
    const out = toSdfPersona(withExtra)
    expect(Object.keys(out).slice(-2)).toEqual(['political_leaning', 'tags'])
    expect(parsedAs('personas', jsonFile('p.json', out)).personas).toStrictEqual([withExtra])
  })

  it('round-trips every persona fixture', () => {
    for (const path of [
      'v-1/personas/troll_1.json',
      'v0/discussions_input/personas/zoe.json',
      'syndisco-2.0/discussions_input/personas/no_sdbs.json',
      'syndisco-2.1/personas/personas.json'
    ]) {
      const { personas } = parsedAs('personas', fixture(path))
      const again = parsedAs('personas', jsonFile('p.json', personas.map(toSdfPersona))).personas
      expect(again).toStrictEqual(personas.map(({ role_hint: _r, ...p }) => p))
    }
  })
})
