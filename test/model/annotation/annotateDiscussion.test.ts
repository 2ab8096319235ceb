import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  annotateDiscussion,
  AnnotationSchema,
  annotationValuesSchema,
  AnnotatorSpecSchema,
  createLlamaCppBackend,
  DiscussionSchema,
  type Annotation,
  type LlamaCppBackend
} from '../../../src/core/index.js'
import { loadTestLlama, TEST_THREADS, tinyModelPath } from '../../helpers/testModel.js'

const discussion = DiscussionSchema.parse({
  id: 'conv-annotate',
  participants: [],
  moderator: 'moderator',
  comments: [
    ['alice', 'user', 'Cycling lanes make the city safer.'],
    ['moderator', 'moderator', 'Keep it civil, please.'],
    ['bob', 'user', 'They slow everyone else down.'],
    ['carol', 'user', 'Both of you have a point.']
  ].map(([author, role, text], index) => ({ index, author, role, raw_text: text, text }))
})

let backend: LlamaCppBackend

beforeAll(async () => {
  backend = await createLlamaCppBackend({
    modelPath: await tinyModelPath(),
    llama: await loadTestLlama(),
    threads: TEST_THREADS,
    contextSize: 1024,
    sequences: 2
  })
})
afterAll(async () => backend?.dispose())

async function collect(iterator: AsyncGenerator<Annotation>): Promise<Annotation[]> {
  const all: Annotation[] = []
  for await (const annotation of iterator) all.push(annotation)
  return all
}

describe('annotating a discussion with the test model', () => {
  it('gives structured answers that always validate against the labels', async () => {
    const spec = AnnotatorSpecSchema.parse({
      id: 'tox-stance',
      name: 'Toxicity and stance',
      instructions: 'Rate the comment.',
      labels: [
        { name: 'toxicity', type: 'integer', min: 1, max: 5 },
        { name: 'stance', type: 'category', options: ['agree', 'disagree', 'neutral'] }
      ]
    })
    const annotations = await collect(annotateDiscussion(spec, discussion, backend, { seed: 7 }))
    expect(annotations.map((a) => a.comment_index)).toEqual([0, 2, 3])
    const values = annotationValuesSchema(spec.labels)
    for (const annotation of annotations) {
      AnnotationSchema.parse(annotation)
      expect(annotation.parsed).toBe(true)
      expect(values.safeParse(annotation.values).success).toBe(true)
      expect(annotation.annotator).toMatchObject({ kind: 'llm', spec_id: 'tox-stance', model: backend.modelName })
    }
  })

  it('keeps SDF-legacy free text and marks what it cannot read, never failing the job', async () => {
    const spec = AnnotatorSpecSchema.parse({
      id: 'legacy',
      name: 'Legacy',
      mode: 'sdf-legacy',
      instructions: 'Output Toxicity=<number>'
    })
    const annotations = await collect(annotateDiscussion(spec, discussion, backend, { seed: 7, maxTokens: 16 }))
    expect(annotations).toHaveLength(3)
    for (const annotation of annotations) {
      AnnotationSchema.parse(annotation)
      expect(annotation.parsed).toBe(Object.keys(annotation.values).length > 0)
    }
  })

  it('skips comments a resumed job already annotated, with the same ids', async () => {
    const spec = AnnotatorSpecSchema.parse({
      id: 'tox',
      name: 'Toxicity',
      instructions: 'Rate.',
      labels: [{ name: 'toxicity', type: 'integer', min: 1, max: 5 }]
    })
    const all = await collect(annotateDiscussion(spec, discussion, backend, { seed: 3 }))
    const rest = await collect(annotateDiscussion(spec, discussion, backend, { seed: 3, skip: new Set([0, 2]) }))
    expect(rest.map((a) => a.comment_index)).toEqual([3])
    expect(rest[0]?.id).toBe(all[2]?.id)
    expect(rest[0]?.values).toEqual(all[2]?.values)
  })
})
