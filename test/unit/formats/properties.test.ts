import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  FormatError,
  parseSourceFile,
  toSdfConversation,
  type ParsedSource
} from '../../../src/core/formats/index.js'
import {
  AnnotationSchema,
  DiscussionConfigSchema,
  DiscussionSchema,
  InstructionSchema,
  PersonaSchema,
  SourceFormatSchema,
  TopicSchema,
  type Discussion
} from '../../../src/core/schema/index.js'
import { fixture, fixtureJson, sourceFile } from './formatTestSupport.js'

const RUNS = { numRuns: 300 }

const ANNOTATION_DRAFT = AnnotationSchema.omit({ id: true, source: true, discussion_id: true, comment_index: true }).extend({
  comment_index: z.number().int().nonnegative().nullable().optional()
})

/** The contract: a FormatError with something to say, or a result every schema accepts. */
function expectWellFormed(result: ParsedSource | FormatError): void {
  if (result instanceof FormatError) {
    expect(result.message.trim()).not.toBe('')
    expect(typeof result.describe()).toBe('string')
    return
  }
  expect(SourceFormatSchema.safeParse(result.format).success).toBe(true)
  const ok = (schema: z.ZodType, value: unknown): void => {
    const parsed = schema.safeParse(value)
    if (!parsed.success) throw new Error(`${result.kind} does not validate: ${parsed.error.message}`)
  }
  switch (result.kind) {
    case 'personas':
      expect(result.personas.length).toBeGreaterThan(0)
      for (const persona of result.personas) ok(PersonaSchema, { ...persona, id: 'p' })
      return
    case 'topic':
      return ok(TopicSchema, { ...result.topic, id: 't' })
    case 'instruction':
      return ok(InstructionSchema, { ...result.instruction, id: 'i' })
    case 'discussion-config':
      return ok(DiscussionConfigSchema, { ...result.config, id: 'c' })
    case 'discussion':
      return ok(DiscussionSchema, result.discussion)
    case 'annotations':
      for (const annotation of result.annotations) ok(ANNOTATION_DRAFT, annotation)
      return
    case 'settings':
      expect(typeof result.name).toBe('string')
      expect(result.settings).toBeTypeOf('object')
  }
}

const PATHS = fc.constantFrom(
  'personas/p.json',
  'data/topics/t.txt',
  'data/user_instructions/u.txt',
  'data/annotation_input/instructions/a.txt',
  'run_config.yml',
  'unknown/file.txt',
  'out/llama8b_vanilla.txt/26-02-10-22-32-56.json'
)

const FIXTURES = [
  'v0/discussions_output/collective_constitution/24-11-15-12-43.json',
  'v0.1/discussions_output/collective_constitution/25-01-02-21-59.json',
  'syndisco-2.0/discussions_output/main/llama8b_vanilla.txt/26-02-10-22-32-56.json',
  'syndisco-2.1/discussions_output/26-05-01-10-00.json',
  'syndisco-2.1/annotation_output/26-05-01-11-00.json',
  'v0/annotations_output/24-11-17-15-28.json',
  'v0.2/annotation_output/toxicity/25-01-10-11-16.json',
  'v0/discussions_input/generated/3f2b8c1d-0e4a-4c6b-9d7e-8a1b2c3d4e5f.json',
  'v0.2/discussions_input/personas/personas.json',
  'syndisco-2.1/personas/personas.json',
  'v0/annotation_input/generated/4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f.json'
]

type Json = unknown

/** One random edit somewhere in a JSON tree: replace, delete, or duplicate a value. */
function mutate(value: Json, path: number[], replacement: Json, action: number): Json {
  if (path.length === 0 || value === null || typeof value !== 'object') return action === 0 ? replacement : value
  const [step, ...rest] = path as [number, ...number[]]
  if (Array.isArray(value)) {
    if (value.length === 0) return [replacement]
    const at = step % value.length
    const copy = [...value]
    if (rest.length === 0 && action === 1) copy.splice(at, 1)
    else if (rest.length === 0 && action === 2) copy.splice(at, 0, copy[at])
    else copy[at] = mutate(copy[at], rest, replacement, rest.length === 0 ? 0 : action)
    return copy
  }
  const entries = Object.entries(value as Record<string, Json>)
  if (entries.length === 0) return { key: replacement }
  const at = step % entries.length
  if (rest.length === 0 && action === 1) entries.splice(at, 1)
  else {
    const [key, child] = entries[at] as [string, Json]
    entries[at] = [key, mutate(child, rest, replacement, rest.length === 0 ? 0 : action)]
  }
  return Object.fromEntries(entries)
}

describe('parseSourceFile never throws', () => {
  it('on arbitrary text', () => {
    fc.assert(
      fc.property(PATHS, fc.string({ unit: 'binary', maxLength: 300 }), (path, text) => {
        expectWellFormed(parseSourceFile(sourceFile(path, text)))
      }),
      RUNS
    )
  })

  it('on arbitrary JSON values, with or without leading white space', () => {
    fc.assert(
      fc.property(PATHS, fc.jsonValue(), fc.constantFrom('', ' ', '\uFEFF', '\n\t'), (path, value, lead) => {
        expectWellFormed(parseSourceFile(sourceFile(path, lead + JSON.stringify(value, null, 4))))
      }),
      RUNS
    )
  })

  it('on SDF-shaped objects with arbitrary values under the real keys', () => {
    const keys = fc.constantFrom('id', 'logs', 'users', 'conv_id', 'username', 'user_names', 'user_attributes', 'context', 'timestamp', 'prompt', 'sdf_studio', 'conv_len', 'attributes', 'instructions')
    fc.assert(
      fc.property(fc.dictionary(keys, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }), (value) => {
        expectWellFormed(parseSourceFile(sourceFile('x.json', JSON.stringify(value))))
      }),
      RUNS
    )
  })

  it('on mutated fixture files', () => {
    const sources = FIXTURES.map((path) => [path, fixtureJson(path)] as const)
    fc.assert(
      fc.property(
        fc.constantFrom(...sources),
        fc.array(fc.nat(), { minLength: 0, maxLength: 5 }),
        fc.jsonValue({ maxDepth: 2 }),
        fc.nat(2),
        ([path, json], steps, replacement, action) => {
          expectWellFormed(parseSourceFile(sourceFile(path, JSON.stringify(mutate(json, steps, replacement, action)))))
        }
      ),
      { numRuns: 500 }
    )
  })

  it('on the fixture files cut short at any point', () => {
    const texts = FIXTURES.map((path) => fixture(path))
    fc.assert(
      fc.property(fc.constantFrom(...texts), fc.nat(), (file, cut) => {
        expectWellFormed(parseSourceFile({ ...file, text: file.text.slice(0, cut % (file.text.length + 1)) }))
      }),
      RUNS
    )
  })

  it('on inputs that are not even source files', () => {
    for (const input of [null, undefined, {}, { path: 3 }, { path: 'a.json', text: null }, { path: 'a.json', text: '{}', sha256: 1 }]) {
      expectWellFormed(parseSourceFile(input as never))
    }
    const nested = `${'['.repeat(20000)}${']'.repeat(20000)}`
    expectWellFormed(parseSourceFile(sourceFile('deep.json', nested)))
  })
})

describe('reading untrusted files', () => {
  it('never lets a `__proto__` key reach an object prototype', () => {
    const files = [
      sourceFile('c.yml', '__proto__:\n  polluted: true\nlogging:\n  level: info\n'),
      sourceFile('p.json', '{"username": "x", "__proto__": "evil", "age": 3}'),
      sourceFile('p.json', '{"username": "x", "__proto__": {"polluted": true}}'),
      sourceFile('c.json', '{"id": "a", "users": [], "logs": [], "__proto__": {"polluted": true}}'),
      sourceFile('c.json', '{"conv_len": 3, "turn_manager_config": {"__proto__": {"polluted": 1}}}')
    ]
    for (const file of files) expectWellFormed(parseSourceFile(file))
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
  })
})

const safeId = fc
  .stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,30}$/)
  .filter((id) => !id.includes('..'))
const optionalText = fc.option(fc.string({ maxLength: 20 }), { nil: null })
const personaArb = fc.record(
  {
    username: fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() === s && s !== ''),
    age: fc.oneof(fc.integer({ min: -1, max: 120 }), fc.constantFrom('18-24', '65+', 'Unknown')),
    sex: fc.string({ maxLength: 8 }),
    special_instructions: fc.string({ maxLength: 30 }),
    intent: fc.constantFrom('Troll', 'Helpful'),
    personality_characteristics: fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
    extra_attributes: fc.dictionary(
      fc.string({ minLength: 1, maxLength: 8 }),
      fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 })),
      { maxKeys: 3 }
    )
  },
  { requiredKeys: ['username', 'extra_attributes'] }
)

const discussionArb = fc
  .record({
    id: safeId,
    timestamp: optionalText,
    status: fc.constantFrom('complete', 'running', 'partial', 'failed'),
    names: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 4 }),
    moderatorAt: fc.option(fc.nat(3), { nil: null }),
    personas: fc.array(personaArb, { minLength: 4, maxLength: 4 }),
    origins: fc.array(fc.constantFrom('structured', 'json-prompt', 'recovered-from-prompt', 'name-only'), { minLength: 4, maxLength: 4 }),
    prompts: fc.array(optionalText, { minLength: 4, maxLength: 4 }),
    context: optionalText,
    history: fc.option(fc.nat(10), { nil: null }),
    comments: fc.array(
      fc.record({
        author: fc.nat(5),
        role: fc.constantFrom('user', 'moderator', 'seed'),
        raw_text: fc.string({ maxLength: 40 }),
        text: fc.string({ maxLength: 40 }),
        model: optionalText,
        reply_to: fc.option(fc.nat(20), { nil: null }),
        seed: fc.option(fc.integer(), { nil: null }),
        prompt: optionalText,
        timings: fc.option(fc.record({ generated_tokens: fc.nat(), duration_ms: fc.double({ min: 0, max: 1e6, noNaN: true }) }, { requiredKeys: [] }), { nil: undefined })
      }),
      { maxLength: 6 }
    ),
    ids: fc.array(fc.option(safeId, { nil: null }), { minLength: 3, maxLength: 3 }),
    // Through JSON once: extra holds values read from JSON files, and JSON has no -0.
    extra: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }).map(
      (extra) => JSON.parse(JSON.stringify(extra)) as Record<string, unknown>
    )
  })
  .map((g): Discussion => {
    const moderatorIndex = g.moderatorAt !== null && g.moderatorAt < g.names.length ? g.moderatorAt : null
    const participants = g.names.map((username, i) => ({
      username,
      role: i === moderatorIndex ? ('moderator' as const) : ('user' as const),
      persona: g.personas[i]!,
      persona_origin: g.origins[i]!,
      system_prompt: g.prompts[i] ?? null
    }))
    return DiscussionSchema.parse({
      id: g.id,
      timestamp: g.timestamp,
      status: g.status,
      participants,
      moderator: moderatorIndex === null ? null : g.names[moderatorIndex],
      context: g.context,
      history_ctx_len: g.history,
      comments: g.comments.map(({ author, timings, ...c }, index) => ({
        ...c,
        index,
        author: g.names[author % g.names.length] ?? 'outsider',
        ...(timings === undefined ? {} : { timings })
      })),
      topic_id: g.ids[0],
      config_id: g.ids[1],
      run_id: g.ids[2],
      extra: g.extra
    })
  })

describe('round trips through the SDF conversation export', () => {
  it('gives back a deep-equal discussion for any valid discussion', () => {
    fc.assert(
      fc.property(discussionArb, (discussion) => {
        const { source: _source, ...withoutSource } = discussion
        const text = JSON.stringify(toSdfConversation(withoutSource), null, 4)
        const result = parseSourceFile(sourceFile('exports/d.json', text))
        if (result instanceof FormatError) throw new Error(result.describe())
        expect(result.kind).toBe('discussion')
        if (result.kind === 'discussion') expect(result.discussion).toStrictEqual(withoutSource)
      }),
      { numRuns: 200 }
    )
  })

  it('gives back every discussion fixture unchanged', () => {
    for (const path of FIXTURES.filter((p) => p.includes('discussions_output'))) {
      const first = parseSourceFile(fixture(path))
      if (first instanceof FormatError || first.kind !== 'discussion') throw new Error(`fixture ${path} did not parse`)
      const again = parseSourceFile(sourceFile('d.json', JSON.stringify(toSdfConversation(first.discussion), null, 4)))
      expect(again).toStrictEqual({ kind: 'discussion', format: 'sdf-studio', discussion: first.discussion })
    }
  })
})
