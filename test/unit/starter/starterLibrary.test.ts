import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  AnnotatorSpecSchema,
  expandDesign,
  installStarterLibrary,
  InstructionSchema,
  isStarterRecord,
  PersonaSchema,
  removeStarterLibrary,
  STARTER_LIBRARY,
  TopicSchema,
  Workspace
} from '../../../src/core/index.js'
import { HAVE_SDF_EXAMPLES, SDF_EXAMPLES } from '../../helpers/fixtures.js'
import { tempDir } from '../../helpers/tempDir.js'

const { personas, topics, instructions, annotators } = STARTER_LIBRARY
const allRecords = [...personas, ...topics, ...instructions, ...annotators]

async function idsOf(workspace: Workspace) {
  return {
    personas: await workspace.personas.ids(),
    topics: await workspace.topics.ids(),
    instructions: await workspace.instructions.ids(),
    annotators: await workspace.annotators.ids()
  }
}

const starterIds = {
  personas: personas.map((record) => record.id).sort(),
  topics: topics.map((record) => record.id).sort(),
  instructions: instructions.map((record) => record.id).sort(),
  annotators: annotators.map((record) => record.id).sort()
}

describe('the starter library', () => {
  it('validates against the record schemas, every record an example with a stable example- id', () => {
    for (const record of personas) PersonaSchema.parse(record)
    for (const record of topics) TopicSchema.parse(record)
    for (const record of instructions) InstructionSchema.parse(record)
    for (const record of annotators) AnnotatorSpecSchema.parse(record)
    for (const record of allRecords) {
      expect(record.example, record.id).toBe(true)
      expect(record.id, record.id).toMatch(/^example-[a-z0-9-]+$/)
      expect(isStarterRecord(record)).toBe(true)
    }
    expect(new Set(allRecords.map((record) => record.id)).size).toBe(allRecords.length)
  })

  it('has a dozen personas with distinct handles, number ages and age buckets, trolls and helpers', () => {
    expect(personas).toHaveLength(12)
    expect(new Set(personas.map((persona) => persona.username)).size).toBe(12)
    expect(personas.some((persona) => typeof persona.age === 'number')).toBe(true)
    expect(personas.some((persona) => typeof persona.age === 'string' && /^\d+-\d+$/.test(persona.age))).toBe(true)
    expect(new Set(personas.map((persona) => persona.sex)).size).toBeGreaterThanOrEqual(3)
    const trolls = personas.filter((persona) => /\btroll\b/i.test(persona.special_instructions ?? ''))
    const helpers = personas.filter((persona) => /help|calm|understand/i.test(persona.special_instructions ?? '') && !trolls.includes(persona))
    expect(trolls.length).toBeGreaterThanOrEqual(2)
    expect(trolls.length).toBeLessThanOrEqual(3)
    expect(helpers.length).toBeGreaterThanOrEqual(2)
    expect(helpers.length).toBeLessThanOrEqual(3)
  })

  it('has topics that open with seed comments by named authors', () => {
    expect(topics.length).toBeGreaterThanOrEqual(5)
    for (const topic of topics) {
      expect(topic.seed_comments?.length, topic.id).toBeGreaterThan(0)
      for (const seed of topic.seed_comments ?? []) {
        expect(seed.author).toMatch(/\S/)
        expect(seed.text.trim()).not.toBe('')
      }
    }
  })

  it('has plain, argumentative and troll user instructions and four moderator strategies', () => {
    const byKind = (kind: string) => instructions.filter((instruction) => instruction.kind === kind).map((instruction) => instruction.id)
    expect(byKind('user')).toEqual(['example-user-plain', 'example-user-argumentative', 'example-user-troll'])
    expect(byKind('moderator')).toEqual([
      'example-moderator-none',
      'example-moderator-rules',
      'example-moderator-facilitation',
      'example-moderator-scored-game'
    ])
  })

  it('has toxicity, toxicity + argument quality, and stance annotators', () => {
    const labels = Object.fromEntries(annotators.map((spec) => [spec.id, AnnotatorSpecSchema.parse(spec).labels]))
    expect(labels['example-annotator-toxicity']).toEqual([expect.objectContaining({ name: 'toxicity', type: 'integer', min: 1, max: 5 })])
    expect(labels['example-annotator-toxicity-argument-quality']?.map((label) => label.name)).toEqual(['toxicity', 'argument_quality'])
    expect(labels['example-annotator-stance']).toEqual([
      expect.objectContaining({ name: 'stance', type: 'category', options: ['agree', 'disagree', 'neutral', 'unclear'] })
    ])
  })

  it.skipIf(!HAVE_SDF_EXAMPLES)('is written in our own words: no six-word run is taken from SDF example inputs', async () => {
    const words = (text: string) => text.toLowerCase().match(/[a-z']+/g) ?? []
    const runs = (text: string) => {
      const list = words(text)
      return new Set(list.slice(0, Math.max(0, list.length - 5)).map((_, i) => list.slice(i, i + 6).join(' ')))
    }
    const reference = new Set<string>()
    const walk = async (folder: string): Promise<void> => {
      for (const entry of await readdir(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name)
        if (entry.isDirectory()) await walk(path)
        else if (/\.(txt|json)$/.test(entry.name) && (await stat(path)).size < 200_000) {
          for (const run of runs(await readFile(path, 'utf8'))) reference.add(run)
        }
      }
    }
    await walk(SDF_EXAMPLES)
    // Only the prose: field names and attribute values are shared vocabulary, not text.
    const ours = [
      ...personas.map((persona) => persona.special_instructions ?? ''),
      ...topics.flatMap((topic) => [topic.title, topic.text, ...(topic.seed_comments ?? []).map((seed) => seed.text)]),
      ...instructions.map((instruction) => instruction.text),
      ...annotators.map((spec) => spec.instructions)
    ].join('\n\n')
    const shared = [...runs(ours)].filter((run) => reference.has(run))
    expect(shared).toEqual([])
  })
})

describe('a new workspace', () => {
  it('holds the starter library, every record reading back valid', async () => {
    const workspace = await Workspace.create(join(await tempDir(), 'study'))
    expect(await idsOf(workspace)).toEqual(starterIds)
    for (const collection of [workspace.personas, workspace.topics, workspace.instructions, workspace.annotators]) {
      const { items, problems } = await collection.list()
      expect(problems).toEqual([])
      for (const item of items) expect(item.example).toBe(true)
    }
    expect(await workspace.personas.get('example-persona-quiet-librarian')).toEqual(PersonaSchema.parse(personas[0]))
  })

  it('gets the examples only once: opening or re-creating an existing workspace installs nothing', async () => {
    const root = join(await tempDir(), 'study')
    const workspace = await Workspace.create(root)
    await removeStarterLibrary(workspace)
    await Workspace.create(root)
    await Workspace.open(root, { create: true })
    expect(await idsOf(workspace)).toEqual({ personas: [], topics: [], instructions: [], annotators: [] })
  })

  it('lets the examples be used in a design straight away', async () => {
    const workspace = await Workspace.create(await tempDir())
    const library = {
      personas: (await workspace.personas.list()).items,
      topics: (await workspace.topics.list()).items,
      instructions: (await workspace.instructions.list()).items
    }
    const { discussions } = expandDesign(
      {
        id: 'first-study',
        name: 'First study',
        seed: 1,
        factors: {
          personas: { pool: starterIds.personas, users_per_discussion: 4 },
          topics: starterIds.topics,
          user_instructions: ['example-user-plain'],
          moderator_instructions: [null, 'example-moderator-rules'],
          turn_policies: [{ kind: 'round-robin' }],
          models: [{ model: 'any.gguf' }]
        },
        discussion: { conv_len: 6, history_ctx_len: 4, max_tokens: 200 }
      },
      library
    )
    expect(discussions).toHaveLength(topics.length * 2)
  })
})

describe('removing and reinstalling the starter library', () => {
  it('removes the examples and nothing else', async () => {
    const workspace = await Workspace.create(await tempDir())
    await workspace.personas.put({ id: 'ada', username: 'Ada' })
    // Named like an example but not marked as one: the researcher's own record.
    await workspace.topics.put({ id: 'example-my-own', title: 'Mine', text: 'Mine' })
    // An example the researcher took over by clearing its mark.
    await workspace.instructions.put({ ...instructions[0]!, example: false, text: 'My edited version' })
    const removal = await removeStarterLibrary(workspace)
    expect(removal.kept).toEqual([])
    expect(removal.removed.personas).toEqual(starterIds.personas)
    expect(removal.removed.annotators).toEqual(starterIds.annotators)
    expect(await idsOf(workspace)).toEqual({
      personas: ['ada'],
      topics: ['example-my-own'],
      instructions: ['example-user-plain'],
      annotators: []
    })
  })

  it('keeps examples a saved design uses, unless forced', async () => {
    const workspace = await Workspace.create(await tempDir())
    await workspace.designs.put({
      id: 'uses-examples',
      name: 'Uses examples',
      seed: 3,
      factors: {
        personas: { pool: ['example-persona-grumpy-gus'], users_per_discussion: 1 },
        topics: ['example-topic-tipping'],
        user_instructions: ['example-user-plain'],
        turn_policies: [{ kind: 'round-robin' }],
        models: [{ model: 'any.gguf' }]
      },
      discussion: { conv_len: 2, history_ctx_len: 2, max_tokens: 50 }
    })
    const removal = await removeStarterLibrary(workspace)
    expect(removal.kept.map((kept) => kept.id).sort()).toEqual([
      'example-persona-grumpy-gus',
      'example-topic-tipping',
      'example-user-plain'
    ])
    expect(removal.kept[0]?.reason).toBe('used by design uses-examples')
    expect(await workspace.topics.ids()).toEqual(['example-topic-tipping'])
    const forced = await removeStarterLibrary(workspace, { force: true })
    expect(forced.removed.topics).toEqual(['example-topic-tipping'])
    expect(await workspace.topics.ids()).toEqual([])
  })

  it('reinstalls what is missing, keeps the researcher’s edits, and restores originals on request', async () => {
    const workspace = await Workspace.create(await tempDir())
    await workspace.topics.put({ ...topics[0]!, title: 'Edited title' })
    await workspace.personas.delete(personas[1]!.id)
    const counts = await installStarterLibrary(workspace)
    expect(counts).toEqual({ personas: 1, topics: 0, instructions: 0, annotators: 0 })
    expect((await workspace.topics.get(topics[0]!.id))?.title).toBe('Edited title')
    expect(await idsOf(workspace)).toEqual(starterIds)

    await removeStarterLibrary(workspace)
    expect(await installStarterLibrary(workspace)).toEqual({
      personas: personas.length,
      topics: topics.length,
      instructions: instructions.length,
      annotators: annotators.length
    })
    await workspace.topics.put({ ...topics[0]!, title: 'Edited again' })
    await installStarterLibrary(workspace, { overwrite: true })
    expect((await workspace.topics.get(topics[0]!.id))?.title).toBe(topics[0]!.title)
  })
})
