import { parseLegacyAnnotationText } from '../formats/legacyAnnotationText.js'
import { shortHash } from '../import/contentIds.js'
import { BackendError, type InferenceBackend, type Sampling } from '../llm/backend.js'
import { SeededRandom } from '../random/seededRandom.js'
import {
  annotationJsonSchema,
  annotationValuesSchema,
  type Annotation,
  type AnnotatorSpec,
  type Discussion
} from '../schema/index.js'
import { annotationTargets } from './annotationContext.js'
import { annotatorPrompt } from './annotatorPrompt.js'

export interface AnnotateOptions {
  maxTokens?: number
  sampling?: Sampling
  /** Base seed; each comment's call gets its own seed derived from it. */
  seed?: number
  /** SDF-legacy mode: the annotator persona's rendered attribute list (SDF `attributes`). */
  legacyAttributes?: readonly string[]
  /** Comment indices already annotated by this annotator (a resumed job): skipped. */
  skip?: ReadonlySet<number>
  signal?: AbortSignal
}

/**
 * Annotates every comment of a discussion with one annotator, yielding each annotation as soon
 * as it exists so a caller can journal it. An answer that does not validate after the backend's
 * retry is kept with `parsed: false` and its raw text: a failed label is data, not a crash.
 */
export async function* annotateDiscussion(
  spec: AnnotatorSpec,
  discussion: Discussion,
  backend: InferenceBackend,
  options: AnnotateOptions = {}
): AsyncGenerator<Annotation> {
  const random = SeededRandom.fromSeed(options.seed ?? 42).fork(spec.id).fork(discussion.id)
  const valuesSchema = spec.mode === 'structured' ? annotationValuesSchema(spec.labels) : undefined
  const targets = annotationTargets(spec, discussion)
  for (const [position, target] of targets.entries()) {
    if (options.skip?.has(target.comment.index)) continue
    options.signal?.throwIfAborted()
    const prompt = annotatorPrompt(spec, discussion, target, options.legacyAttributes)
    const seed = random.fork(target.comment.index).nextSeed()
    let raw = ''
    let values: Annotation['values'] = {}
    let parsed = false
    try {
      const result = await backend.generate(
        {
          messages: prompt.messages,
          maxTokens: options.maxTokens ?? (spec.mode === 'structured' ? 256 : 64),
          sampling: { ...options.sampling, seed },
          stop: prompt.stop,
          promptFormat: prompt.promptFormat,
          ...(spec.mode === 'structured' ? { jsonSchema: annotationJsonSchema(spec.labels) } : {}),
          agentKey: `annotator/${spec.id}/${discussion.id}`
        },
        options.signal ? { signal: options.signal } : {}
      )
      raw = result.text
      if (valuesSchema) {
        const checked = valuesSchema.safeParse(safeJson(raw))
        if (checked.success) {
          values = checked.data
          parsed = true
        }
      } else {
        ;({ values, parsed } = parseLegacyAnnotationText(raw))
      }
    } catch (error) {
      if (!(error instanceof BackendError) || error.code !== 'invalid-output') throw error
      raw = error.rawOutput ?? ''
    }
    yield {
      id: annotationId(spec.id, discussion.id, target.comment.index),
      discussion_id: discussion.id,
      comment_index: target.comment.index,
      position,
      quoted_text: null,
      quoted_author: null,
      annotator: {
        name: spec.name,
        kind: 'llm',
        model: backend.modelName,
        prompt: prompt.system,
        persona: spec.persona,
        spec_id: spec.id
      },
      values,
      raw_text: raw,
      parsed,
      created_at: new Date().toISOString()
    }
  }
  backend.releaseAgent?.(`annotator/${spec.id}/${discussion.id}`)
}

/** Stable per (annotator, discussion, comment): re-running a job overwrites nothing and duplicates nothing. */
export function annotationId(specId: string, discussionId: string, commentIndex: number): string {
  return `ann-${shortHash(`${specId}\u0000${discussionId}`, 16)}-${commentIndex}`
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
