import { z } from 'zod'

/**
 * The kinds of library record the contract serves (experiment designs and annotator specs included). Their shapes are declared once, in
 * `core/schema`; shared may not import core (and core may not import shared), so the contract
 * carries a record as a JSON object with an id and the host parses it with core's schema on the way
 * in and out. See ARCHITECTURE.md, "One source of truth per shape".
 */
export const RecordKindSchema = z.enum(['persona', 'topic', 'instruction', 'discussion', 'design', 'annotator'])

export type RecordKind = z.infer<typeof RecordKindSchema>

/** The contract's method prefix for each kind: `personas.list`, `topics.get`, … */
export const RECORD_COLLECTIONS = {
  persona: 'personas',
  topic: 'topics',
  instruction: 'instructions',
  discussion: 'discussions',
  design: 'designs',
  annotator: 'annotators'
} as const satisfies Record<RecordKind, string>

/** An id as the boundary sees it; the host checks core's stricter id rule (ids are file names). */
export const RecordIdSchema = z.string().min(1).max(128)

/** A record on the wire: any JSON object with an id. Its full shape is checked by the host. */
export const RecordJsonSchema = z.looseObject({ id: RecordIdSchema })

export type RecordJson = z.infer<typeof RecordJsonSchema>

/** A file in the workspace that exists but does not hold a valid record (listed, never hidden). */
export const WorkspaceProblemSchema = z.object({ file: z.string(), message: z.string() })

export const RecordListingSchema = z.object({
  items: z.array(RecordJsonSchema),
  problems: z.array(WorkspaceProblemSchema)
})

export type RecordListing = z.infer<typeof RecordListingSchema>
