import { stat } from 'node:fs/promises'
import { basename, relative } from 'node:path'
import { ZodError } from 'zod'
import { AgreementError } from '../analysis/agreement/agreementError.js'
import { agreementCoefficient, type AgreementMetric, type Coefficient } from '../analysis/agreement/agreementMetric.js'
import { bootstrapAgreement } from '../analysis/agreement/bootstrapAgreement.js'
import type { MeasurementLevel } from '../analysis/agreement/measurementLevel.js'
import { pairwiseAgreement } from '../analysis/agreement/pairwiseAgreement.js'
import { reliabilityDataFromAnnotations } from '../analysis/agreement/reliabilityDataFromAnnotations.js'
import type { MeanCiRow } from '../analysis/charts/meanCiRow.js'
import type { AnalysisDataset } from '../analysis/dataset/analysisDataset.js'
import type { CommentSelection } from '../analysis/dataset/commentSelection.js'
import type { CommentGrouping, DiscussionGrouping } from '../analysis/dataset/grouping.js'
import { commentLengths } from '../analysis/commentLengths.js'
import { discussionDiversity } from '../analysis/discussionDiversity.js'
import { labelByGroup } from '../analysis/labelByGroup.js'
import { labelByTurn } from '../analysis/labelByTurn.js'
import { moderatorInterventions } from '../analysis/moderatorInterventions.js'
import { participationRate } from '../analysis/participationRate.js'
import type { GroupComparison } from '../analysis/stats/compareGroups.js'
import { trollEffect } from '../analysis/trollEffect.js'
import { exportTables, type TableFormat } from '../export/exportTables.js'
import type { InferenceBackend } from '../llm/backend.js'
import type { Annotation } from '../schema/index.js'
import { PathOutsideWorkspaceError } from '../workspace/paths.js'
import type { Workspace } from '../workspace/workspace.js'
import { AnalysisInputError, createAnnotationJob } from './annotationJobs.js'
import { DiscussionIndex } from './discussionIndex.js'
import { searchDiscussions, type DiscussionSearchQuery } from './discussionSearch.js'
import { humanQueue, putHumanAnnotation, type HumanQueueRequest, type PutHumanRequest } from './humanAnnotations.js'
import { HostNotFoundError } from './studioPorts.js'

/** Where table exports go, inside the workspace; the web host serves downloads only from here. */
export const EXPORTS_FOLDER = 'exports'

export interface AnalysisPortsOptions {
  /** The workspace the host has open, or null. */
  workspace(): Workspace | null
  /** The model annotation jobs run on, or null when the host has none loaded. */
  backend(): InferenceBackend | null
  /**
   * Holds the model for a whole annotation job, so it cannot be unloaded or replaced under it
   * (the web host's `ModelSlot.lease`); null when none is loaded. Without it jobs hold nothing.
   */
  leaseModel?: () => { release(): void } | null
  now?: () => Date
}

type Grouping = { by: 'none' } | { by: 'condition'; key: string } | { by: 'model' } | { by: 'role' } | { by: 'persona'; field: string }
type Test = 'anova' | 'kruskal-wallis'

/** Only groupings a discussion-level analysis understands (a discussion has no role or persona). */
function discussionGrouping(grouping: Grouping): DiscussionGrouping {
  if (grouping.by === 'role' || grouping.by === 'persona') {
    throw new AnalysisInputError(`a per-discussion analysis cannot be split by ${grouping.by}; use none, condition or model`)
  }
  return grouping
}

function point(row: MeanCiRow) {
  return {
    group: row.group,
    ...(row.x === null ? {} : { turn: row.x }),
    mean: row.mean,
    sd: row.sd,
    lo: row.ci_low,
    hi: row.ci_high,
    n: row.n
  }
}

function seriesPoint(row: MeanCiRow) {
  return { ...point(row), turn: row.x ?? 0 }
}

function comparisonOf(comparison: GroupComparison | null) {
  if (comparison === null) return null
  const { omnibus } = comparison
  return {
    test: omnibus.test,
    statistic: omnibus.test === 'anova' ? omnibus.F : omnibus.H,
    df: omnibus.test === 'anova' ? [omnibus.df_between, omnibus.df_within] : [omnibus.df],
    p: omnibus.p,
    groups: comparison.groups.map((group) => ({ group: group.group, n: group.n, mean: group.mean, sd: group.sd, lo: group.ci_low, hi: group.ci_high })),
    posthoc: comparison.pairwise.map((pair) => ({
      a: pair.group_a,
      b: pair.group_b,
      test: pair.test,
      difference: pair.difference,
      statistic: pair.statistic,
      p: pair.p,
      pHolm: pair.p_holm
    }))
  }
}

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null)

/** A coefficient that answers NaN where the data do not fit it, so one pair cannot sink the matrix. */
function lenient(coefficient: Coefficient): Coefficient {
  return (data) => {
    try {
      return coefficient(data)
    } catch (error) {
      if (error instanceof AgreementError) return Number.NaN
      throw error
    }
  }
}

/** A bootstrap costs units × replicates; beyond this budget fewer replicates are drawn (or none, see MIN_REPLICATES). */
const BOOTSTRAP_CELL_BUDGET = 1_500_000
/** Fewer replicates than this make no interval worth showing. */
const MIN_REPLICATES = 20
const MEMO_LIMIT = 64

/** Every comment's latest label per annotator, in the form the agreement coefficients read. */
function datasetAnnotations(dataset: AnalysisDataset): Annotation[] {
  const annotations: Annotation[] = []
  for (const discussion of dataset.discussions) {
    for (const comment of discussion.comments) {
      for (const rating of comment.ratings) {
        annotations.push({
          discussion_id: discussion.id,
          comment_index: comment.index,
          annotator: { name: rating.annotator },
          values: rating.values
        } as unknown as Annotation)
      }
    }
  }
  return annotations
}

/**
 * Core's analyses, search, agreement, annotation jobs, human annotation and table export as the
 * ports of shared's `createAnalysisMethods` (met structurally: core may not import shared). One
 * `DiscussionIndex` per workspace keeps what was read, so repeated calls cost only `stat`s.
 */
export function createAnalysisPorts(options: AnalysisPortsOptions) {
  let index: DiscussionIndex | undefined

  function workspace(): Workspace {
    const current = options.workspace()
    if (current === null) throw new Error('no workspace is open')
    return current
  }

  function discussionIndex(): DiscussionIndex {
    const current = workspace()
    if (index?.workspace !== current) {
      index?.close()
      index = new DiscussionIndex(current)
      memo.clear()
    }
    return index
  }

  const dataset = () => discussionIndex().dataset()

  // Results of the analyses per input, valid while the workspace's discussions stay as they were:
  // a dashboard redrawing its charts asks the same questions again and again.
  const memo = new Map<string, { version: number; result: unknown }>()
  async function remembered<T>(name: string, input: unknown, compute: (data: AnalysisDataset) => T | Promise<T>): Promise<T> {
    const data = await dataset()
    const key = `${name}\u0000${JSON.stringify(input)}`
    const hit = memo.get(key)
    if (hit !== undefined && hit.version === data.version) return hit.result as T
    const result = await compute(data)
    memo.delete(key)
    memo.set(key, { version: data.version, result })
    if (memo.size > MEMO_LIMIT) memo.delete(memo.keys().next().value!)
    return result
  }

  return {
    hasWorkspace: () => options.workspace() !== null,

    describeError(error: unknown): { code: 'invalid-input' | 'not-found' | 'not-computable'; message: string } | null {
      if (error instanceof HostNotFoundError) return { code: 'not-found', message: error.message }
      if (error instanceof AnalysisInputError || error instanceof AgreementError || error instanceof PathOutsideWorkspaceError) {
        return { code: 'invalid-input', message: capitalised(error.message) }
      }
      if (error instanceof RangeError) return { code: 'invalid-input', message: capitalised(error.message) }
      if (error instanceof ZodError) return { code: 'invalid-input', message: error.issues[0]?.message ?? error.message }
      return null
    },

    async search(query: DiscussionSearchQuery) {
      return searchDiscussions(await discussionIndex().snapshot(), query)
    },

    labelByTurn(input: { label: string; grouping: Grouping; x: 'index' | 'user_turn'; selection: CommentSelection }) {
      return remembered('labelByTurn', input, (data) => {
        const result = labelByTurn(data, {
          label: input.label,
          x: input.x,
          groupBy: input.grouping as CommentGrouping,
          selection: input.selection
        })
        const series = new Map<string, ReturnType<typeof seriesPoint>[]>()
        for (const row of result.rows) {
          const points = series.get(row.group) ?? []
          points.push(seriesPoint(row))
          series.set(row.group, points)
        }
        return { label: result.label, x: result.x, series: [...series.entries()].map(([group, points]) => ({ group, points })) }
      })
    },

    compareGroups(input: { label: string; grouping: Grouping; test: Test; selection: CommentSelection }) {
      return remembered('compareGroups', input, (data) => {
        const result = labelByGroup(data, {
          label: input.label,
          groupBy: input.grouping as CommentGrouping,
          test: input.test,
          selection: input.selection
        })
        return comparisonOf(result.comparison)
      })
    },

    participation(input: { grouping: Grouping; test: Test }) {
      return remembered('participation', input, (data) => {
        const result = participationRate(data, { groupBy: discussionGrouping(input.grouping), test: input.test })
        return {
          rows: result.rows.map(point),
          overTime: result.over_time.map(seriesPoint),
          discussions: result.discussions.map((row) => ({ id: row.discussion_id, group: row.group, turns: row.user_turns, spoken: row.comments, rate: row.rate })),
          comparison: comparisonOf(result.comparison)
        }
      })
    },

    moderation(input: { grouping: Grouping; test: Test }) {
      return remembered('moderation', input, (data) => {
        const result = moderatorInterventions(data, { groupBy: discussionGrouping(input.grouping), test: input.test })
        return {
          rows: result.rows.map(point),
          overTime: result.over_time.map(seriesPoint),
          discussions: result.discussions.map((row) => ({
            id: row.discussion_id,
            group: row.group,
            turns: row.moderator_turns,
            spoken: row.interventions,
            rate: row.rate
          })),
          comparison: comparisonOf(result.comparison)
        }
      })
    },

    commentLengths(input: { grouping: Grouping; test: Test; clip: number; binWidth: number; selection: CommentSelection }) {
      return remembered('commentLengths', input, (data) => {
        const result = commentLengths(data, {
          groupBy: input.grouping as CommentGrouping,
          test: input.test,
          clip: input.clip,
          binWidth: input.binWidth,
          selection: input.selection
        })
        return {
          rows: result.rows.map(point),
          histogram: result.histogram.map((bin) => ({ group: bin.group, binStart: bin.bin_start, binEnd: bin.bin_end, count: bin.count, density: bin.density })),
          comparison: comparisonOf(result.comparison)
        }
      })
    },

    diversity(input: { grouping: Grouping; test: Test }) {
      return remembered('diversity', input, (data) => {
        const result = discussionDiversity(data, { groupBy: discussionGrouping(input.grouping), test: input.test })
        return {
          rows: result.rows.map(point),
          discussions: result.discussions.map((row) => ({ id: row.discussion_id, group: row.group, comments: row.comments, diversity: row.diversity })),
          comparison: comparisonOf(result.comparison)
        }
      })
    },

    trollEffect(input: { label: string; k: number }) {
      return remembered('trollEffect', input, (data) => {
        const result = trollEffect(data, { label: input.label, k: input.k })
        const rows = [
          ...result.by_discussion.groups.map((group) => ({ comparison: 'by-discussion' as const, group })),
          ...result.after_troll.groups.map((group) => ({ comparison: 'after-troll' as const, group }))
        ].map(({ comparison, group }) => ({
          comparison,
          group: group.group,
          mean: group.mean,
          sd: group.sd,
          lo: group.ci_low,
          hi: group.ci_high,
          n: group.n
        }))
        return {
          label: result.label,
          k: result.k,
          discussionsWithTrolls: result.discussions_with_trolls,
          discussionsWithoutTrolls: result.discussions_without_trolls,
          rows,
          tests: { byDiscussion: result.by_discussion.test, afterTroll: result.after_troll.test }
        }
      })
    },

    agreementMatrix(input: { label: string; metric: AgreementMetric; level: MeasurementLevel; replicates: number }) {
      return remembered('agreementMatrix', input, (dataset) => {
        const coefficient = agreementCoefficient(input.metric, input.level)
        // Each annotator's latest label per comment (see latestPerAnnotator), so corrections never count as conflicts.
        const data = reliabilityDataFromAnnotations(datasetAnnotations(dataset), input.label, { duplicates: 'last' })
        const pairwise = pairwiseAgreement(data, lenient(coefficient))
        const shared = data.annotators.map(() => data.annotators.map(() => 0))
        for (const pair of pairwise.pairs) {
          const a = data.annotators.indexOf(pair.first)
          const b = data.annotators.indexOf(pair.second)
          shared[a]![b] = pair.sharedUnits
          shared[b]![a] = pair.sharedUnits
        }
        let value: number | null = null
        let note: string | null = null
        let lo: number | null = null
        let hi: number | null = null
        let replicates = 0
        if (data.units.length === 0) {
          note = `No comment has a value for "${input.label}".`
        } else {
          try {
            value = finiteOrNull(coefficient(data))
            if (value === null) note = `${input.metric} is undefined here: fewer than two annotators rated the same comments, or every value is the same.`
          } catch (error) {
            if (!(error instanceof AgreementError)) throw error
            note = capitalised(error.message)
          }
          if (value !== null) {
            // Deterministic (the same data always draw the same resamples), and bounded in cost.
            replicates = Math.min(input.replicates, Math.floor(BOOTSTRAP_CELL_BUDGET / data.units.length))
            if (replicates >= MIN_REPLICATES) {
              const interval = bootstrapAgreement(data, lenient(coefficient), { replicates, seed: 1 })
              lo = finiteOrNull(interval.lower)
              hi = finiteOrNull(interval.upper)
            } else {
              replicates = 0
              note = `No bootstrap interval: ${data.units.length} comments are too many to resample quickly here; with this many the interval would be narrow.`
            }
          }
        }
        return {
          annotators: [...data.annotators],
          matrix: pairwise.matrix.map((row) => row.map(finiteOrNull)),
          shared,
          overall: { value, lo, hi, units: data.units.length, replicates, note }
        }
      })
    },

    hasBackend: () => options.backend() !== null,

    async createAnnotationJob(input: {
      annotatorIds: readonly string[]
      discussionIds: readonly string[] | 'all'
      concurrency: number
      maxTokens?: number | undefined
    }) {
      const lease = options.leaseModel?.() ?? null
      try {
        const backend = options.backend()
        if (backend === null) throw new Error('no model is loaded')
        const job = await createAnnotationJob(workspace(), backend, input)
        return { ...job, run: (report: Parameters<typeof job.run>[0]) => job.run(report).finally(() => lease?.release()) }
      } catch (error) {
        lease?.release()
        throw error
      }
    },

    putHuman: (input: PutHumanRequest) => putHumanAnnotation(workspace(), input, options.now?.() ?? new Date()),

    humanQueue: (input: HumanQueueRequest) => humanQueue(workspace(), input),

    async exportTables(input: { format: TableFormat; discussionIds?: readonly string[] | undefined }) {
      const current = workspace()
      const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-')
      const folder = `${EXPORTS_FOLDER}/${stamp}-${input.format}`
      const result = await exportTables(current, {
        format: input.format,
        outFolder: current.resolve(folder),
        ...(input.discussionIds ? { discussionIds: input.discussionIds } : {})
      })
      const rows = new Map(result.tables.map((table) => [basename(table.file), table.rows]))
      const paths = [...result.tables.map((table) => table.file), ...result.dataDictionary]
      const files = await Promise.all(
        paths.map(async (path) => ({ name: basename(path), bytes: (await stat(path)).size, rows: rows.get(basename(path)) ?? null }))
      )
      return {
        folder,
        files,
        problems: result.problems.map((problem) => ({ file: relative(current.root, problem.file) || problem.file, message: problem.message }))
      }
    }
  }
}

function capitalised(message: string): string {
  return message.length === 0 ? message : message[0]!.toUpperCase() + message.slice(1)
}
