import { z } from 'zod'
import { RecordIdSchema } from './records.js'

// The one-click demo: the demo model (random weights: meaningless text), a small design over the
// starter library, run live like any run (`run.events`, `stream.tokens`), then annotated and
// charted. Spread into `appContract`; written by `createDemoMethods`.

const NoInputSchema = z.strictObject({})
const Count = z.number().int().nonnegative()

export const DemoStateSchema = z.enum(['idle', 'running', 'annotating', 'analysing', 'done', 'failed'])

/** A point of a chart: a mean with its confidence interval (as core's analyses give it). */
export const DemoChartRowSchema = z.object({
  x: z.number().nullable(),
  group: z.string(),
  mean: z.number(),
  sd: z.number().nullable(),
  ci_low: z.number().nullable(),
  ci_high: z.number().nullable(),
  n: z.number().int().positive()
})

export const DemoStatusSchema = z.object({
  state: DemoStateSchema,
  runId: RecordIdSchema.nullable(),
  designId: RecordIdSchema.nullable(),
  discussionIds: z.array(RecordIdSchema),
  /** What it is doing, or why it failed. */
  message: z.string(),
  /** Says that the demo model's text is meaningless; show it with the results. */
  notice: z.string(),
  /** Once done: the label over user turns by condition (with/without moderator), and mean comment lengths. */
  analysis: z
    .object({
      label: z.string(),
      condition: z.string(),
      /** Workspace-relative files written (JSON and CSV). */
      files: z.array(z.string()),
      annotatedComments: Count,
      byTurn: z.array(DemoChartRowSchema),
      lengths: z.array(DemoChartRowSchema)
    })
    .nullable()
})

export type DemoStatus = z.infer<typeof DemoStatusSchema>

export const demoMethodSpecs = {
  /**
   * Starts the demo: installs the starter library, writes and loads the demo model (in place of an
   * idle model; `unavailable` while a run uses the loaded one), saves and runs the demo design,
   * then annotates and charts it in the background (`demo.status`).
   */
  'demo.start': {
    input: z.strictObject({ concurrency: z.number().int().min(1).max(8).default(2) }),
    output: z.object({
      runId: RecordIdSchema,
      designId: RecordIdSchema,
      discussionIds: z.array(RecordIdSchema),
      modelFileName: z.string(),
      /** The model that was loaded before and was replaced by the demo model, or null. */
      replacedModel: z.string().nullable(),
      notice: z.string()
    })
  },
  /** Where the demo stands, and its chart-ready results once done. */
  'demo.status': { input: NoInputSchema, output: DemoStatusSchema }
} as const
