import { describe, expect, it } from 'vitest'
import { ExperimentDesignSchema } from '../../../src/core/index.js'
import { importPickedFiles, uploadBatches, uploadName, type PickedFile } from '../../../src/renderer/src/components/uploads.js'
import { DEFAULT_DESIGN_FORM, DesignFormSchema, designToForm, formatDuration, formToDesign } from '../../../src/renderer/src/pages/designer/designForm.js'
import { AnnotatorFormSchema, annotatorToForm, formToAnnotator } from '../../../src/renderer/src/pages/library/annotatorForm.js'
import { formToPersona, PersonaFormSchema, personaToForm } from '../../../src/renderer/src/pages/library/personaForm.js'
import { AnnotatorSpecSchema, PersonaSchema } from '../../../src/core/index.js'

const file = (name: string, text: string, extra: Partial<PickedFile> = {}): PickedFile => ({ name, size: text.length, text: async () => text, ...extra })

describe('upload names and batches', () => {
  it('keeps the folders a user picked or dropped, as a relative name the contract accepts', () => {
    expect(uploadName(file('a.json', '', { webkitRelativePath: 'study/personas/a.json' }))).toBe('study/personas/a.json')
    expect(uploadName(file('a.json', '', { path: '/study/personas/a.json' }))).toBe('study/personas/a.json')
    expect(uploadName(file('a.json', '', { path: './a.json' }))).toBe('a.json')
    expect(uploadName(file('a.json', '', { path: '../../etc/a.json' }))).toBe('etc/a.json')
  })

  it('splits by bytes and count, in order, giving a big file a batch of its own', () => {
    const sizes = [3, 3, 10, 1, 1, 1].map((size, index) => ({ size, index }))
    expect(uploadBatches(sizes, 6, 2).map((batch) => batch.map((entry) => entry.index))).toEqual([[0, 1], [2], [3, 4], [5]])
  })

  it('adds up the batches and names every file of a batch the host refused as a whole', async () => {
    const files = [file('a.json', 'a'), file('b.json', 'b')]
    let calls = 0
    const outcome = await importPickedFiles(files, async (uploads) => {
      calls += 1
      if (calls === 1) return { personas: uploads.length, topics: 0, instructions: 0, discussions: 0, comments: 0, annotations: 0, errors: [] }
      throw new Error('link dropped')
    })
    expect(calls).toBe(1)
    expect(outcome.personas).toBe(2)
    const refused = await importPickedFiles(files, async () => {
      throw new Error('link dropped')
    })
    expect(refused.errors).toEqual([
      { file: 'a.json', message: 'link dropped' },
      { file: 'b.json', message: 'link dropped' }
    ])
  })
})

describe('the persona form', () => {
  it('stores whole-year ages as numbers, drops empty fields and keeps what it does not show', () => {
    const original = PersonaSchema.parse({ id: 'ada', username: 'Ada', role_hint: 'user', extra_attributes: { votes: 3, tags: ['a', 'b'] } })
    const values = { ...personaToForm(original), age: '34', sex: '', personality_characteristics: ['calm', ' '] }
    const record = formToPersona(PersonaFormSchema.parse(values), 'ada', original)
    expect(PersonaSchema.parse(record)).toEqual({ id: 'ada', username: 'Ada', age: 34, role_hint: 'user', personality_characteristics: ['calm'], extra_attributes: { votes: 3, tags: ['a', 'b'] } })
    expect(formToPersona(PersonaFormSchema.parse({ ...values, age: '18-24' }), 'ada', original)['age']).toBe('18-24')
  })

  it('refuses an empty username, an impossible age and a repeated attribute name', () => {
    const result = PersonaFormSchema.safeParse({
      ...personaToForm(null),
      username: ' ',
      age: '200',
      extra_attributes: [
        { key: 'x', value: '1' },
        { key: 'x', value: '2' }
      ]
    })
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['age', 'extra_attributes.1.key', 'username'])
  })
})

describe('the annotator builder', () => {
  it('turns the builder labels into a spec core accepts, keeping only each type’s settings', () => {
    const values = AnnotatorFormSchema.parse({
      ...annotatorToForm(null, () => null),
      name: 'Civility',
      labels: [
        { name: 'civility', type: 'integer', description: '', min: 1, max: 5, options: ['x'], max_length: null },
        { name: 'stance', type: 'category', description: '', min: null, max: null, options: ['for', ' against ', ''], max_length: null },
        { name: 'rationale', type: 'text', description: '', min: null, max: null, options: [], max_length: 300 }
      ]
    })
    const spec = AnnotatorSpecSchema.parse(formToAnnotator(values, 'civility', null, () => undefined))
    expect(spec.labels).toEqual([
      { name: 'civility', type: 'integer', description: '', min: 1, max: 5 },
      { name: 'stance', type: 'category', description: '', options: ['for', 'against'] },
      { name: 'rationale', type: 'text', description: '', max_length: 300 }
    ])
  })

  it('asks for two categories and a range that is not upside down', () => {
    const result = AnnotatorFormSchema.safeParse({
      ...annotatorToForm(null, () => null),
      name: 'X',
      labels: [
        { name: 'a', type: 'integer', description: '', min: 5, max: 1, options: [], max_length: null },
        { name: 'b', type: 'category', description: '', min: null, max: null, options: ['only'], max_length: null }
      ]
    })
    expect(result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([
      'labels.0.max: Must not be below the lowest value',
      'labels.1.options: List at least two categories'
    ])
  })
})

describe('the designer form', () => {
  const filled = {
    ...DEFAULT_DESIGN_FORM,
    name: 'Pilot',
    personaPool: ['ann', 'bob', 'cid'],
    usersPerDiscussion: 2,
    topics: ['pizza', 'cats'],
    userInstructions: ['vanilla'],
    moderatorInstructions: ['rules'],
    turnPolicies: ['round-robin' as const, 'respond' as const],
    pRespond: 0.3,
    models: ['tiny.gguf'],
    temperature: 0.7,
    promptModes: ['sdf-v0' as const],
    moderatorPolicy: 'probability' as const,
    moderatorProbability: 0.25,
    sampling: 'sample' as const,
    sampleCount: 5,
    replicates: 2
  }

  it('writes a design core accepts, with "no moderator" as the null level', () => {
    const design = ExperimentDesignSchema.parse(formToDesign(DesignFormSchema.parse(filled), 'pilot'))
    expect(design.factors.moderator_instructions).toEqual([null, 'rules'])
    expect(design.factors.turn_policies).toEqual([
      { kind: 'round-robin', random_first_speaker: false },
      { kind: 'respond', p_respond: 0.3 }
    ])
    expect(design.factors.models).toEqual([{ model: 'tiny.gguf', sampling: { temperature: 0.7 } }])
    expect(design.mode).toEqual({ kind: 'sample', count: 5 })
    expect(design.discussion.moderator_policy).toMatchObject({ kind: 'probability', q: 0.25 })
  })

  it('reads a saved design back into the same form', () => {
    const { form, lossy } = designToForm(formToDesign(DesignFormSchema.parse(filled), 'pilot'))
    expect(lossy).toEqual([])
    expect(form).toEqual(filled)
  })

  it('says which parts of a design it cannot edit (corpus seed comments it can: see seedSourceForm.test.ts)', () => {
    const design = formToDesign(DesignFormSchema.parse(filled), 'pilot')
    const factors = design['factors'] as Record<string, unknown>
    factors['prompt_modes'] = [{ kind: 'custom', templates: {} }]
    factors['seed_source'] = { corpus_id: 'cga' }
    expect(designToForm(design).lossy).toEqual(['custom prompt templates'])
  })

  it('refuses more users per discussion than the pool holds', () => {
    const result = DesignFormSchema.safeParse({ ...filled, usersPerDiscussion: 4 })
    expect(result.error?.issues[0]?.path).toEqual(['usersPerDiscussion'])
  })

  it('formats estimates for people', () => {
    expect([formatDuration(42), formatDuration(600), formatDuration(3 * 3600), formatDuration(72 * 3600)]).toEqual(['42 s', '10 min', '3.0 h', '3.0 days'])
  })
})
