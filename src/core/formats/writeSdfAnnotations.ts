import { canonicalJson } from '../canonicalJson.js'
import type { Annotation, Comment } from '../schema/index.js'
import {
  SDF_STUDIO_ANNOTATIONS,
  SDF_STUDIO_EXPORT_VERSION,
  type StudioAnnotationsExtras
} from './sdfStudioExtras.js'

/** The v0.2 / SynDisco 2.0 annotation schema (spec §1.8) plus SDF Studio's `sdf_studio` key. */
export interface SdfAnnotationFileJson {
  conv_id: string
  timestamp: string | null
  annotator_model: string
  annotator_prompt: string | null
  ctx_length: number | null
  logs: [string, string][]
  sdf_studio: StudioAnnotationsExtras
}

export interface SdfAnnotationExportOptions {
  /** The annotated discussion's comments, for the message text SDF stored beside each annotation. */
  comments?: readonly Pick<Comment, 'index' | 'text'>[]
  /** The annotators' history window, when known (SDF's `ctx_length`). */
  ctxLength?: number | null
}

/** One SDF file per distinct annotator, as SDF ran one annotation job per annotator. */
function annotatorKey(annotation: Annotation): string {
  return canonicalJson(annotation.annotator)
}

function messageOf(annotation: Annotation, comments: readonly Pick<Comment, 'index' | 'text'>[] | undefined): string {
  if (annotation.comment_index !== null && comments) {
    const comment = comments.find((c) => c.index === annotation.comment_index)
    if (comment) return comment.text
  }
  return annotation.quoted_text ?? ''
}

/**
 * The annotations of one discussion as SDF annotation files, one per annotator, records in file
 * order (`position`). SDF paired each annotation with the annotated message's text; it is taken from
 * `options.comments` when the record is linked, else from the record's quoted text.
 */
export function toSdfAnnotationFiles(
  discussionId: string,
  annotations: readonly Annotation[],
  options: SdfAnnotationExportOptions = {}
): SdfAnnotationFileJson[] {
  const groups = new Map<string, Annotation[]>()
  for (const annotation of annotations) {
    const key = annotatorKey(annotation)
    const group = groups.get(key)
    if (group) group.push(annotation)
    else groups.set(key, [annotation])
  }
  return [...groups.values()].map((group) => {
    const records = [...group].sort((a, b) => a.position - b.position)
    const first = records[0] as Annotation
    const annotator = structuredClone(first.annotator)
    return {
      conv_id: discussionId,
      timestamp: records.find((r) => r.created_at !== null)?.created_at ?? null,
      annotator_model: annotator.model ?? annotator.name,
      annotator_prompt: annotator.prompt,
      ctx_length: options.ctxLength ?? null,
      logs: records.map((record) => [messageOf(record, options.comments), record.raw_text]),
      sdf_studio: {
        format: SDF_STUDIO_ANNOTATIONS,
        version: SDF_STUDIO_EXPORT_VERSION,
        annotator,
        records: records.map((record) => ({
          position: record.position,
          comment_index: record.comment_index,
          quoted_text: record.quoted_text,
          quoted_author: record.quoted_author,
          values: { ...record.values },
          parsed: record.parsed,
          created_at: record.created_at
        }))
      }
    }
  })
}
