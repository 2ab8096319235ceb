import { z } from 'zod'
import {
  AnnotationSchema,
  AnnotatorSchema,
  CommentSchema,
  DiscussionStatusSchema,
  IdSchema,
  ParticipantSchema
} from '../schema/index.js'

/**
 * The `sdf_studio` key that SDF Studio adds to the SDF files it writes. SDF and SynDisco ignore unknown
 * keys, so the files stay valid for them, while SDF Studio reads back everything their schema cannot
 * hold. Bump the version when a reader of the old version could no longer read the new shape.
 */
export const SDF_STUDIO_EXPORT_VERSION = 1
export const SDF_STUDIO_DISCUSSION = 'sdf-studio-discussion'
export const SDF_STUDIO_ANNOTATIONS = 'sdf-studio-annotations'

const VersionSchema = z
  .number()
  .int()
  .refine((version) => version <= SDF_STUDIO_EXPORT_VERSION, {
    message: `was written by a newer SDF Studio (this one reads version ${SDF_STUDIO_EXPORT_VERSION}); update SDF Studio to read it`
  })

/** Everything of a comment but its author and text, which the SDF `logs` entry already holds. */
export const StudioCommentExtrasSchema = CommentSchema.omit({ author: true, text: true })

export const StudioDiscussionExtrasSchema = z.object({
  format: z.literal(SDF_STUDIO_DISCUSSION),
  version: VersionSchema,
  status: DiscussionStatusSchema,
  context: z.string().nullable(),
  topic_id: IdSchema.nullable(),
  config_id: IdSchema.nullable(),
  run_id: IdSchema.nullable(),
  conditions: z.record(z.string(), z.string()).default({}),
  extra: z.record(z.string(), z.unknown()),
  participants: z.array(ParticipantSchema),
  comments: z.array(StudioCommentExtrasSchema)
})
export type StudioDiscussionExtras = z.infer<typeof StudioDiscussionExtrasSchema>

/** Everything of an annotation record but its raw text, which the SDF `logs` pair already holds. */
export const StudioAnnotationRecordSchema = AnnotationSchema.pick({
  position: true,
  comment_index: true,
  quoted_text: true,
  quoted_author: true,
  values: true,
  parsed: true,
  created_at: true
})

export const StudioAnnotationsExtrasSchema = z.object({
  format: z.literal(SDF_STUDIO_ANNOTATIONS),
  version: VersionSchema,
  annotator: AnnotatorSchema,
  records: z.array(StudioAnnotationRecordSchema)
})
export type StudioAnnotationsExtras = z.infer<typeof StudioAnnotationsExtrasSchema>
