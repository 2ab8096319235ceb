import { z } from 'zod'

export const ImportErrorSchema = z.object({ file: z.string(), message: z.string() })

/**
 * What `sdf import --json` prints and the UI shows. `comments` counts every log entry of every
 * imported discussion (seeds and empty moderator replies too); `annotations` every annotation
 * record, unparsed and unlinked ones included.
 */
export const ImportReportSchema = z.object({
  personas: z.number().int().nonnegative(),
  topics: z.number().int().nonnegative(),
  instructions: z.number().int().nonnegative(),
  discussions: z.number().int().nonnegative(),
  comments: z.number().int().nonnegative(),
  annotations: z.number().int().nonnegative(),
  errors: z.array(ImportErrorSchema)
})
export type ImportReport = z.infer<typeof ImportReportSchema>

export function emptyImportReport(): ImportReport {
  return { personas: 0, topics: 0, instructions: 0, discussions: 0, comments: 0, annotations: 0, errors: [] }
}
