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

/** A listing answers at most this many records when the caller names no limit. */
export const DEFAULT_RECORD_LIST_LIMIT = 500
/** The most records one listing answers. */
export const MAX_RECORD_LIST_LIMIT = 5000
/**
 * A page also ends once its records' files reach this many bytes (one record at least), whatever
 * the limit: 5,000 discussions of ~15 KiB would be a 75 MiB message, past what the web host
 * buffers for one client (16 MiB). Follow `nextOffset` rather than assuming `limit` records came.
 */
export const MAX_RECORD_PAGE_BYTES = 4 * 1024 * 1024

/** One page of a kind's records, in id order. A workspace can hold 10,000 discussions: lists are paged. */
export const RecordListInputSchema = z.strictObject({
  /** Records to skip, in id order. */
  offset: z.number().int().nonnegative().default(0),
  limit: z.number().int().min(1).max(MAX_RECORD_LIST_LIMIT).default(DEFAULT_RECORD_LIST_LIMIT)
})

export type RecordListInput = z.input<typeof RecordListInputSchema>

export const RecordListingSchema = z.object({
  items: z.array(RecordJsonSchema),
  /** Files of this page that exist but hold no valid record (listed, never hidden). */
  problems: z.array(WorkspaceProblemSchema),
  /** Record files of this kind in the workspace, valid or not. */
  total: z.number().int().nonnegative(),
  /** The offset of the next page (the page may hold fewer than `limit`; see MAX_RECORD_PAGE_BYTES), or null after the last. */
  nextOffset: z.number().int().nonnegative().nullable()
})

export type RecordListing = z.infer<typeof RecordListingSchema>

/**
 * Every record of a kind, page after page: for the small kinds the UI shows whole (personas,
 * topics, designs, …). `list` is the contract's `<kind>.list` method.
 */
export async function listEveryRecord(
  list: (input: { offset: number; limit: number }) => Promise<RecordListing>
): Promise<Pick<RecordListing, 'items' | 'problems'>> {
  const items: RecordJson[] = []
  const problems: RecordListing['problems'] = []
  let offset: number | null = 0
  while (offset !== null) {
    const page: RecordListing = await list({ offset, limit: MAX_RECORD_LIST_LIMIT })
    items.push(...page.items)
    problems.push(...page.problems)
    // A page that moved nothing forward would loop forever; stop instead.
    offset = page.nextOffset !== null && page.nextOffset > offset ? page.nextOffset : null
  }
  return { items, problems }
}
