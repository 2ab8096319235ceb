import { describe, expect, it } from 'vitest'
import { CorpusSeedSourceSchema, ExperimentDesignSchema } from '../../../src/core/index.js'
import { DEFAULT_DESIGN_FORM, DesignFormSchema, designToForm, formToDesign, type DesignFormValues } from '../../../src/renderer/src/pages/designer/designForm.js'
import { DEFAULT_SEED_SOURCE_FORM, seedSourceFromDesign, SeedSourceFormSchema, seedSourceToDesign } from '../../../src/renderer/src/pages/designer/seedSourceForm.js'

const filled: DesignFormValues = {
  ...DEFAULT_DESIGN_FORM,
  name: 'Seeded',
  personaPool: ['a', 'b'],
  usersPerDiscussion: 2,
  topics: ['t'],
  userInstructions: ['u'],
  models: ['m.gguf']
}

describe('the seed comments of a design in the designer form', () => {
  it("uses the topic's own seed comments by default: the design has no seed_source", () => {
    const design = formToDesign(filled, 'seeded')
    expect((design['factors'] as Record<string, unknown>)['seed_source']).toBeUndefined()
    expect(ExperimentDesignSchema.safeParse(design).success).toBe(true)
  })

  it('maps a corpus choice to factors.seed_source exactly as core reads it', () => {
    const form = { ...filled, seedSource: { kind: 'corpus' as const, corpusId: 'cga', k: 3, onlyFlagged: true, truncateTo: null, assign: 'each-replicate' as const, reuse: true } }
    const design = formToDesign(form, 'seeded')
    const source = (design['factors'] as Record<string, unknown>)['seed_source']
    expect(source).toEqual({ corpus_id: 'cga', k: 3, only_flagged: true, truncate_to: null, reuse: true, assign: 'each-replicate' })
    expect(CorpusSeedSourceSchema.parse(source)).toEqual(source)
    expect(ExperimentDesignSchema.parse(design).factors.seed_source).toEqual(source)
  })

  it('reads a saved corpus seed source back into the form without calling it lossy', () => {
    const form = { ...filled, seedSource: { ...DEFAULT_SEED_SOURCE_FORM, kind: 'corpus' as const, corpusId: 'cga', truncateTo: 200 } }
    const { form: back, lossy } = designToForm(formToDesign(form, 'seeded'))
    expect(lossy).toEqual([])
    expect(back.seedSource).toEqual(form.seedSource)
  })

  it("fills what a hand-written seed source leaves out with core's defaults", () => {
    expect(seedSourceFromDesign({ corpus_id: 'cga' })).toEqual({ kind: 'corpus', corpusId: 'cga', k: 2, onlyFlagged: false, truncateTo: 500, assign: 'each-discussion', reuse: false })
    expect(seedSourceFromDesign(undefined)).toEqual(DEFAULT_SEED_SOURCE_FORM)
    expect(seedSourceToDesign(DEFAULT_SEED_SOURCE_FORM)).toBeUndefined()
  })

  it('asks for a corpus when seeds are to come from one, and for sensible numbers', () => {
    const result = DesignFormSchema.safeParse({ ...filled, seedSource: { ...DEFAULT_SEED_SOURCE_FORM, kind: 'corpus', k: 0 } })
    expect(result.success).toBe(false)
    const messages = result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    expect(messages).toEqual(['seedSource.k: At least one comment', 'seedSource.corpusId: Choose the corpus to sample seed comments from (import one on the Corpora page)'])
    expect(SeedSourceFormSchema.safeParse({ ...DEFAULT_SEED_SOURCE_FORM, truncateTo: 0 }).success).toBe(false)
  })
})
