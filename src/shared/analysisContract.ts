import { z } from 'zod'
import { RecordIdSchema } from './records.js'

// The contract's methods for results: finding discussions, the built-in analyses as chart-ready
// rows, annotator agreement, LLM annotation jobs, blind human annotation, and table exports.
// Spread into `appContract`; written once by `createAnalysisMethods` for both hosts.

const Count = z.number().int().nonnegative()
const JsonObject = z.looseObject({})
const NullableNumber = z.number().nullable()

/** A label name as annotator specs declare them (snake_case); imported SDF files may use others. */
const LabelNameSchema = z.string().min(1).max(256)

// ---- discussions.search ------------------------------------------------------------------------

export const DiscussionSearchInputSchema = z.strictObject({
  /** Case-insensitive words, all of which must occur in the discussion (comments, topic, participants). */
  text: z.string().max(500).optional(),
  /** Design factor → level; every pair must match. */
  conditions: z.record(z.string().min(1).max(256), z.string().max(1024)).optional(),
  /** The model that wrote the discussion's comments (as `items[].model` shows it). */
  model: z.string().min(1).max(1024).optional(),
  /** A participant's persona field or extra attribute equal to `value` (case-insensitive). */
  personaAttribute: z.strictObject({ key: z.string().min(1).max(256), value: z.string().max(1024) }).optional(),
  /** The discussion's mean value of a label within [min, max]; discussions without the label are left out. */
  label: z.strictObject({ name: LabelNameSchema, min: z.number().optional(), max: z.number().optional() }).optional(),
  /** Only discussions whose annotator disagreement (see `items[].disagreement`) is at least this. */
  minDisagreement: z.number().nonnegative().optional(),
  /** Order of the results (default: by id); discussions without the value sort last either way. */
  sort: z
    .strictObject({
      by: z.enum(['id', 'createdAt', 'commentCount', 'disagreement', 'label']),
      /** The label whose mean `by: "label"` sorts by. */
      label: LabelNameSchema.optional(),
      descending: z.boolean().default(false)
    })
    .optional(),
  offset: z.number().int().nonnegative().default(0),
  limit: z.number().int().min(0).max(1000).default(100)
})

export type DiscussionSearchInput = z.input<typeof DiscussionSearchInputSchema>

export const DiscussionSearchItemSchema = z.object({
  id: RecordIdSchema,
  /** A short title: the discussion's topic context, else its first comment, cut to about 120 characters. */
  title: z.string(),
  status: z.string(),
  conditions: z.record(z.string(), z.string()),
  /** The model of its non-seed comments; "mixed" when several wrote, null when none is recorded. */
  model: z.string().nullable(),
  commentCount: Count,
  participants: z.array(z.string()),
  /** The discussion's own timestamp as its source recorded it (SDF: at the end of the run), or null. */
  createdAt: z.string().nullable(),
  /** Label → mean over its annotated comments (each comment's value averaged over annotators). */
  labelMeans: z.record(z.string(), z.number()),
  /** Annotations it holds, linked to comments. */
  annotationCount: Count,
  /**
   * How much annotators disagree: over every (comment, label) that two or more annotators rated,
   * the mean of max − min for numbers and of 0/1 (all equal / not) for categories. Null when no
   * comment was rated by two annotators.
   */
  disagreement: NullableNumber
})

export type DiscussionSearchItem = z.infer<typeof DiscussionSearchItemSchema>

export const DiscussionSearchResultSchema = z.object({
  /** Matching discussions, before offset and limit. */
  total: Count,
  items: z.array(DiscussionSearchItemSchema),
  /** Every condition key of the workspace with its values, for filter menus. */
  conditionKeys: z.array(z.object({ key: z.string(), values: z.array(z.string()) })),
  /** Every label some annotation gives a value for. */
  labels: z.array(z.string()),
  /** Every model value `items[].model` takes. */
  models: z.array(z.string()),
  /** Files that could not be read as discussions or annotations (left out of the results). */
  problems: z.array(z.object({ file: z.string(), message: z.string() }))
})

export type DiscussionSearchResult = z.infer<typeof DiscussionSearchResultSchema>

// ---- analyses ----------------------------------------------------------------------------------

/**
 * How comment-level results are split. `condition` needs `conditionKey`, `persona` needs
 * `personaField` (a persona field or extra attribute of the comment's author).
 */
export const CommentGroupBySchema = z.enum(['none', 'condition', 'role', 'model', 'persona'])
/** How discussion-level results (rates, diversity) are split; a discussion has no single role. */
export const DiscussionGroupBySchema = z.enum(['none', 'condition', 'model'])

const CommentGroupingFields = {
  groupBy: CommentGroupBySchema.default('none'),
  conditionKey: z.string().min(1).max(256).optional(),
  personaField: z.string().min(1).max(256).optional()
}

const DiscussionGroupingFields = {
  groupBy: DiscussionGroupBySchema.default('none'),
  conditionKey: z.string().min(1).max(256).optional()
}

export const GroupTestSchema = z.enum(['anova', 'kruskal-wallis'])

/** Which comments count; seeds and silent turns are left out unless asked for. */
const SelectionFields = {
  includeSeeds: z.boolean().default(false),
  includeModerators: z.boolean().default(true),
  includeSilent: z.boolean().default(false)
}

/** One point or bar: the mean of `n` values with its 95% confidence interval (null when n < 2). */
export const MeanCiPointSchema = z.object({
  group: z.string(),
  /** The turn (or n-th turn) for series; absent for bars. */
  turn: z.number().optional(),
  mean: z.number(),
  sd: NullableNumber,
  lo: NullableNumber,
  hi: NullableNumber,
  n: z.number().int().positive()
})

export type MeanCiPoint = z.infer<typeof MeanCiPointSchema>

export const GroupComparisonResultSchema = z.object({
  test: GroupTestSchema,
  /** F (ANOVA) or H (Kruskal-Wallis); null where undefined (e.g. no variance). */
  statistic: NullableNumber,
  /** ANOVA: [between, within]; Kruskal-Wallis: [df]. */
  df: z.array(z.number()),
  p: NullableNumber,
  groups: z.array(z.object({ group: z.string(), n: Count, mean: z.number(), sd: NullableNumber, lo: NullableNumber, hi: NullableNumber })),
  /** Every pair: Welch t (ANOVA) or Dunn (Kruskal-Wallis), with Holm-adjusted p. */
  posthoc: z.array(
    z.object({
      a: z.string(),
      b: z.string(),
      test: z.string(),
      difference: z.number(),
      statistic: NullableNumber,
      p: NullableNumber,
      pHolm: NullableNumber
    })
  )
})

export type GroupComparisonResult = z.infer<typeof GroupComparisonResultSchema>

export const LabelByTurnInputSchema = z.strictObject({
  label: LabelNameSchema,
  ...CommentGroupingFields,
  /** `index`: position in the log from 0; `user_turn`: order among user comments from 1. */
  x: z.enum(['index', 'user_turn']).default('index'),
  ...SelectionFields
})

export const LabelByTurnResultSchema = z.object({
  label: z.string(),
  x: z.enum(['index', 'user_turn']),
  series: z.array(z.object({ group: z.string(), points: z.array(MeanCiPointSchema.required({ turn: true })) }))
})

export const CompareGroupsInputSchema = z.strictObject({
  label: LabelNameSchema,
  ...CommentGroupingFields,
  test: GroupTestSchema.default('anova'),
  ...SelectionFields
})

export const DiscussionAnalysisInputSchema = z.strictObject({ ...DiscussionGroupingFields, test: GroupTestSchema.default('anova') })

/** A per-discussion rate (participation, moderation) as bars per group and a series over turns. */
export const RateResultSchema = z.object({
  /** Mean rate per group (0–1). */
  rows: z.array(MeanCiPointSchema),
  /** Share of discussions whose n-th turn was a real comment, per group. */
  overTime: z.array(MeanCiPointSchema.required({ turn: true })),
  discussions: z.array(z.object({ id: z.string(), group: z.string(), turns: Count, spoken: Count, rate: z.number() })),
  /** Null with fewer than two groups. */
  comparison: GroupComparisonResultSchema.nullable()
})

export type RateResult = z.infer<typeof RateResultSchema>

export const CommentLengthsInputSchema = z.strictObject({
  ...CommentGroupingFields,
  test: GroupTestSchema.default('anova'),
  /** Lengths above this many words count as this. */
  clip: z.number().int().positive().max(100_000).default(400),
  binWidth: z.number().int().positive().max(10_000).default(20),
  ...SelectionFields
})

export const CommentLengthsResultSchema = z.object({
  /** Mean words per comment per group. */
  rows: z.array(MeanCiPointSchema),
  histogram: z.array(z.object({ group: z.string(), binStart: z.number(), binEnd: z.number(), count: Count, density: z.number() })),
  comparison: GroupComparisonResultSchema.nullable()
})

export const DiversityResultSchema = z.object({
  /** Mean diversity (1 − mean pairwise ROUGE-L F1 within a discussion) per group. */
  rows: z.array(MeanCiPointSchema),
  discussions: z.array(z.object({ id: z.string(), group: z.string(), comments: Count, diversity: z.number() })),
  comparison: GroupComparisonResultSchema.nullable()
})

export const TrollEffectInputSchema = z.strictObject({
  label: LabelNameSchema,
  /** How many comments after a troll's count as "right after" it. */
  k: z.number().int().min(1).max(100).default(1)
})

const TwoGroupTestSchema = z.object({
  /** Mean of the first group − mean of the second; null when a group is empty. */
  difference: NullableNumber,
  t: NullableNumber,
  df: NullableNumber,
  p: NullableNumber
})

export const TrollEffectResultSchema = z.object({
  label: z.string(),
  k: z.number().int(),
  discussionsWithTrolls: Count,
  discussionsWithoutTrolls: Count,
  /** Bars: `comparison` says which question a row answers, `group` which side it is. */
  rows: z.array(MeanCiPointSchema.extend({ comparison: z.enum(['by-discussion', 'after-troll']) })),
  /** Welch's t-test per question: with vs without trolls; right after a troll vs otherwise. */
  tests: z.object({ byDiscussion: TwoGroupTestSchema, afterTroll: TwoGroupTestSchema })
})

// ---- agreement.matrix --------------------------------------------------------------------------

export const AgreementMatrixInputSchema = z.strictObject({
  label: LabelNameSchema,
  metric: z.enum(['alpha', 'fleiss', 'ac1', 'cohen', 'percent']).default('alpha'),
  level: z.enum(['nominal', 'ordinal', 'interval', 'ratio']).default('nominal'),
  /** Bootstrap resamples for the overall interval (seeded, so the same data gives the same interval). */
  replicates: z.number().int().min(10).max(5000).default(500)
})

export const AgreementMatrixResultSchema = z.object({
  annotators: z.array(z.string()),
  /** matrix[i][j]: the coefficient on annotators i and j alone; null on the diagonal and where undefined. */
  matrix: z.array(z.array(NullableNumber)),
  /** Comments both annotators rated, same layout. */
  shared: z.array(z.array(Count)),
  overall: z.object({
    /** Null where the coefficient is undefined for these data (`note` says why). */
    value: NullableNumber,
    /** 95% percentile bootstrap interval over comments; null when it cannot be estimated. */
    lo: NullableNumber,
    hi: NullableNumber,
    /** Comments with a value for the label. */
    units: Count,
    /** Bootstrap resamples drawn (fewer than asked on very large data, to stay interactive; 0 without a value). */
    replicates: Count,
    note: z.string().nullable()
  })
})

// ---- annotation jobs ---------------------------------------------------------------------------

export const AnnotationJobInputSchema = z.strictObject({
  annotatorIds: z.array(RecordIdSchema).min(1).max(100),
  discussionIds: z.union([z.array(RecordIdSchema).min(1).max(100_000), z.literal('all')]),
  /** Discussions annotated at once. */
  concurrency: z.number().int().min(1).max(64).default(1),
  /** Tokens per answer (default: 256 for structured annotators, 64 for SDF-legacy ones). */
  maxTokens: z.number().int().min(1).max(8192).optional()
})

export const AnnotationJobProgressSchema = z.object({
  /** Comments to annotate (those already annotated by the same annotator are skipped, not counted). */
  total: Count,
  /** Comments finished: annotated, or given up because their discussion failed. */
  done: Count,
  /** Of `done`, those without a valid label: answers that did not parse, and comments of failed discussions. */
  failed: Count
})

export type AnnotationJobProgress = z.infer<typeof AnnotationJobProgressSchema>

export const AnnotationEventKindSchema = z.enum(['job-started', 'annotation', 'failed', 'job-finished'])

/** One event of an annotation job, as `annotation.events` carries it. */
export const AnnotationEventPayloadSchema = z.object({
  jobId: RecordIdSchema,
  kind: AnnotationEventKindSchema,
  discussionId: RecordIdSchema.nullable(),
  /** The comment, for `annotation`. */
  commentIndex: z.number().int().nonnegative().nullable(),
  /** The annotator spec, for `annotation` and `failed`. */
  annotatorId: RecordIdSchema.nullable(),
  /** The stored annotation, for `annotation`. */
  annotation: JsonObject.nullable(),
  /** Why, for `failed` (a discussion that could not be annotated) and a `job-finished` that ended early. */
  message: z.string().nullable(),
  progress: AnnotationJobProgressSchema
})

export type AnnotationEventPayload = z.infer<typeof AnnotationEventPayloadSchema>

// ---- human annotation --------------------------------------------------------------------------

/** A human annotator's name or code as it is stored with each label. */
const HumanNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100)
  // eslint-disable-next-line no-control-regex
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'must not contain control characters')

export const PutHumanAnnotationInputSchema = z.strictObject({
  annotator: HumanNameSchema,
  /** The annotator spec whose labels the values answer; its label rules are checked when given. */
  annotatorSpecId: RecordIdSchema.optional(),
  discussionId: RecordIdSchema,
  commentIndex: z.number().int().nonnegative(),
  /** Label → value; null means the annotator gave none. */
  values: z.record(LabelNameSchema, z.union([z.number(), z.string().max(10_000), z.boolean(), z.null()]))
})

export const HumanQueueInputSchema = z.strictObject({
  annotatorSpecId: RecordIdSchema,
  annotator: HumanNameSchema,
  discussionIds: z.array(RecordIdSchema).max(100_000).optional(),
  limit: z.number().int().min(1).max(500).default(50)
})

export const HumanQueueResultSchema = z.object({
  /** What the human rates: the spec's instructions and labels (no persona, no model). */
  spec: z.object({ id: z.string(), name: z.string(), instructions: z.string(), labels: z.array(JsonObject) }),
  /**
   * Comments this annotator has not labelled yet, in discussion then comment order. Blind: no
   * other annotator's labels and no persona details, only what the spec's context shows.
   */
  items: z.array(
    z.object({
      discussionId: z.string(),
      commentIndex: Count,
      text: z.string(),
      /** The comments before it that the annotator sees, oldest first. */
      context: z.array(z.object({ author: z.string(), text: z.string() })),
      /** The discussion's topic, when the spec shows it. */
      topic: z.string().nullable()
    })
  ),
  /** Whether more unlabelled comments follow the ones answered. */
  more: z.boolean()
})

// ---- export.tables -----------------------------------------------------------------------------

export const ExportTablesInputSchema = z.strictObject({
  format: z.enum(['csv', 'jsonl', 'parquet']),
  discussionIds: z.array(RecordIdSchema).max(100_000).optional()
})

export const ExportTablesResultSchema = z.object({
  /** The export's folder, relative to the workspace (under `exports/`). */
  folder: z.string(),
  files: z.array(
    z.object({
      name: z.string(),
      bytes: Count,
      /** Rows, for tables; null for the data dictionary. */
      rows: Count.nullable(),
      /** Where the web host serves it (`/download/<folder>/<name>`); null on the desktop, which opens the folder. */
      url: z.string().nullable()
    })
  ),
  problems: z.array(z.object({ file: z.string(), message: z.string() }))
})

export const analysisMethodSpecs = {
  /** Discussions matching filters, with light summaries (label means, disagreement) for a virtualised list. */
  'discussions.search': { input: DiscussionSearchInputSchema, output: DiscussionSearchResultSchema },
  /** A label's mean with its 95% CI at each turn, one series per group. */
  'analysis.labelByTurn': { input: LabelByTurnInputSchema, output: LabelByTurnResultSchema },
  /** A label compared across groups: omnibus test, group summaries, Holm-corrected pairwise tests. */
  'analysis.compareGroups': { input: CompareGroupsInputSchema, output: GroupComparisonResultSchema },
  /** Share of user turns that produced a comment, per discussion and group. */
  'analysis.participation': { input: DiscussionAnalysisInputSchema, output: RateResultSchema },
  /** Share of moderator turns where the moderator intervened, per discussion and group. */
  'analysis.moderation': { input: DiscussionAnalysisInputSchema, output: RateResultSchema },
  /** Comment length in words: means and a histogram per group. */
  'analysis.commentLengths': { input: CommentLengthsInputSchema, output: CommentLengthsResultSchema },
  /** Lexical diversity within each discussion, per group. */
  'analysis.diversity': { input: DiscussionAnalysisInputSchema, output: DiversityResultSchema },
  /** Whether trolls make the others' comments worse on a label. */
  'analysis.trollEffect': { input: TrollEffectInputSchema, output: TrollEffectResultSchema },
  /** Pairwise agreement between annotators on a label, and the overall coefficient with a bootstrap CI. */
  'agreement.matrix': { input: AgreementMatrixInputSchema, output: AgreementMatrixResultSchema },
  /** Starts LLM annotators over discussions on the host's loaded model; progress comes as `annotation.events`. */
  'annotations.startJob': { input: AnnotationJobInputSchema, output: z.object({ jobId: RecordIdSchema }) },
  /** Stops a running annotation job; what was annotated stays (a new job resumes where it stopped). */
  'annotations.cancelJob': { input: z.strictObject({ jobId: RecordIdSchema }), output: z.object({ ok: z.literal(true) }) },
  /** Stores a human's label for one comment (a later one for the same comment replaces it in analyses). */
  'annotations.putHuman': { input: PutHumanAnnotationInputSchema, output: z.object({ annotation: JsonObject }) },
  /** The next comments a human annotator has not labelled, blind. */
  'annotations.humanQueue': { input: HumanQueueInputSchema, output: HumanQueueResultSchema },
  /** Writes the workspace as long tables (and SDF's flat table, a data dictionary) under `exports/`. */
  'export.tables': { input: ExportTablesInputSchema, output: ExportTablesResultSchema }
} as const
