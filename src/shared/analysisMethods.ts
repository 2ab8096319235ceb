import { ApiError } from './apiError.js'
import type { AppContract } from './appContract.js'
import type { AnnotationEventPayload } from './analysisContract.js'
import type { WorkspaceChanged } from './appEvents.js'
import type { Implementation } from './contract.js'
import { withEngineErrors } from './engineErrors.js'

type Output<M extends keyof AppContract> = Awaited<ReturnType<Implementation<AppContract>[M]>>
type Input<M extends keyof AppContract> = Parameters<Implementation<AppContract>[M]>[0]

/** How comments or discussions are split, in core's terms (`CommentGrouping`, `DiscussionGrouping`). */
export type GroupingPort =
  | { by: 'none' }
  | { by: 'condition'; key: string }
  | { by: 'model' }
  | { by: 'role' }
  | { by: 'persona'; field: string }

export interface SelectionPort {
  includeSeeds: boolean
  includeModerators: boolean
  includeSilent: boolean
}

/** A started annotation job, as core's `createAnnotationJobPorts` offers it. */
export interface AnnotationJobPort {
  readonly jobId: string
  /** Runs the job to its end, reporting every event; resolves when it is over (never rejects). */
  run(report: (event: Omit<AnnotationEventPayload, 'jobId'>) => void): Promise<void>
  cancel(): void
}

/** The engines behind the methods; core's `createAnalysisPorts` builds them for a host. */
export interface AnalysisEnginePorts {
  hasWorkspace(): boolean
  /** Turns an engine's error into a typed one; null: not one it knows. */
  describeError(error: unknown): { code: 'invalid-input' | 'not-found' | 'not-computable'; message: string } | null
  search(input: Input<'discussions.search'>): Promise<Output<'discussions.search'>>
  labelByTurn(input: {
    label: string
    grouping: GroupingPort
    x: 'index' | 'user_turn'
    selection: SelectionPort
  }): Promise<Output<'analysis.labelByTurn'>>
  /** Null with fewer than two groups holding values. */
  compareGroups(input: {
    label: string
    grouping: GroupingPort
    test: 'anova' | 'kruskal-wallis'
    selection: SelectionPort
  }): Promise<Output<'analysis.compareGroups'> | null>
  participation(input: { grouping: GroupingPort; test: 'anova' | 'kruskal-wallis' }): Promise<Output<'analysis.participation'>>
  moderation(input: { grouping: GroupingPort; test: 'anova' | 'kruskal-wallis' }): Promise<Output<'analysis.moderation'>>
  commentLengths(input: {
    grouping: GroupingPort
    test: 'anova' | 'kruskal-wallis'
    clip: number
    binWidth: number
    selection: SelectionPort
  }): Promise<Output<'analysis.commentLengths'>>
  diversity(input: { grouping: GroupingPort; test: 'anova' | 'kruskal-wallis' }): Promise<Output<'analysis.diversity'>>
  trollEffect(input: { label: string; k: number }): Promise<Output<'analysis.trollEffect'>>
  agreementMatrix(input: Input<'agreement.matrix'>): Promise<Output<'agreement.matrix'>>
  /** Whether the host has a model to annotate with. */
  hasBackend(): boolean
  /** Checks the annotators and discussions and prepares a job (not yet running). */
  createAnnotationJob(input: {
    annotatorIds: readonly string[]
    discussionIds: readonly string[] | 'all'
    concurrency: number
    maxTokens?: number | undefined
  }): Promise<AnnotationJobPort>
  putHuman(input: Input<'annotations.putHuman'>): Promise<Output<'annotations.putHuman'>>
  humanQueue(input: Input<'annotations.humanQueue'>): Promise<Output<'annotations.humanQueue'>>
  /** Writes the tables; file names relative to `folder`, which is relative to the workspace. */
  exportTables(input: Input<'export.tables'>): Promise<{
    folder: string
    files: { name: string; bytes: number; rows: number | null }[]
    problems: { file: string; message: string }[]
  }>
}

export interface AnalysisMethodsPorts extends AnalysisEnginePorts {
  /** Why `annotations.startJob` cannot run on this host (no model loaded). */
  readonly noBackendMessage: string
  /** Publishes `annotation.events`. */
  annotationEvent(event: AnnotationEventPayload): void
  /** The URL the host serves a workspace-relative file at, or null when it serves none (desktop). */
  downloadUrl(workspacePath: string): string | null
  /** Told when annotations were written (a human label, a job that stored some): views showing them re-read. */
  changed?(event: WorkspaceChanged): void
}

export type AnalysisMethods = Pick<
  Implementation<AppContract>,
  | 'discussions.search'
  | 'analysis.labelByTurn'
  | 'analysis.compareGroups'
  | 'analysis.participation'
  | 'analysis.moderation'
  | 'analysis.commentLengths'
  | 'analysis.diversity'
  | 'analysis.trollEffect'
  | 'agreement.matrix'
  | 'annotations.startJob'
  | 'annotations.cancelJob'
  | 'annotations.putHuman'
  | 'annotations.humanQueue'
  | 'export.tables'
>

const NO_WORKSPACE = 'No workspace is open. Open or create one first.'

/** The grouping a method's input names, or an `invalid-input` error saying what is missing. */
export function groupingOf(input: {
  groupBy: 'none' | 'condition' | 'role' | 'model' | 'persona'
  conditionKey?: string | undefined
  personaField?: string | undefined
}): GroupingPort {
  switch (input.groupBy) {
    case 'condition':
      if (input.conditionKey === undefined) {
        throw new ApiError('invalid-input', 'groupBy "condition" needs conditionKey: the design factor to split by (e.g. "moderator_instructions").')
      }
      return { by: 'condition', key: input.conditionKey }
    case 'persona':
      if (input.personaField === undefined) {
        throw new ApiError('invalid-input', 'groupBy "persona" needs personaField: the persona field or attribute to split by (e.g. "sex").')
      }
      return { by: 'persona', field: input.personaField }
    case 'role':
      return { by: 'role' }
    case 'model':
      return { by: 'model' }
    case 'none':
      return { by: 'none' }
  }
}

/**
 * The results methods (search, analyses, agreement, annotation jobs, human annotation, table
 * export), written once for both hosts over core's engines (`createAnalysisPorts`); the host adds
 * its event publisher, its download URLs and why it cannot annotate without a model.
 */
export function createAnalysisMethods(ports: AnalysisMethodsPorts): AnalysisMethods {
  const jobs = new Map<string, AnnotationJobPort>()

  async function guarded<T>(work: () => Promise<T>): Promise<T> {
    if (!ports.hasWorkspace()) throw new ApiError('no-workspace', NO_WORKSPACE)
    return withEngineErrors((error) => ports.describeError(error), work)
  }

  const selection = (input: SelectionPort): SelectionPort => ({
    includeSeeds: input.includeSeeds,
    includeModerators: input.includeModerators,
    includeSilent: input.includeSilent
  })

  return {
    'discussions.search': (input) =>
      guarded(() => {
        if (input.sort?.by === 'label' && input.sort.label === undefined) {
          throw new ApiError('invalid-input', 'sort by "label" needs sort.label: the label whose mean orders the discussions.')
        }
        return ports.search(input)
      }),
    'analysis.labelByTurn': (input) =>
      guarded(() => ports.labelByTurn({ label: input.label, grouping: groupingOf(input), x: input.x, selection: selection(input) })),
    'analysis.compareGroups': (input) =>
      guarded(async () => {
        const result = await ports.compareGroups({
          label: input.label,
          grouping: groupingOf(input),
          test: input.test,
          selection: selection(input)
        })
        if (result === null) {
          throw new ApiError(
            'not-computable',
            `Fewer than two groups have values for "${input.label}" when split by ${input.groupBy}, so there is nothing to compare. Choose another grouping or annotate more discussions.`
          )
        }
        return result
      }),
    'analysis.participation': (input) => guarded(() => ports.participation({ grouping: groupingOf(input), test: input.test })),
    'analysis.moderation': (input) => guarded(() => ports.moderation({ grouping: groupingOf(input), test: input.test })),
    'analysis.commentLengths': (input) =>
      guarded(() =>
        ports.commentLengths({
          grouping: groupingOf(input),
          test: input.test,
          clip: input.clip,
          binWidth: input.binWidth,
          selection: selection(input)
        })
      ),
    'analysis.diversity': (input) => guarded(() => ports.diversity({ grouping: groupingOf(input), test: input.test })),
    'analysis.trollEffect': (input) => guarded(() => ports.trollEffect(input)),
    'agreement.matrix': (input) => guarded(() => ports.agreementMatrix(input)),
    'annotations.startJob': (input) =>
      guarded(async () => {
        if (!ports.hasBackend()) throw new ApiError('unavailable', ports.noBackendMessage)
        const job = await ports.createAnnotationJob(input)
        jobs.set(job.jobId, job)
        void job
          .run((event) => {
            ports.annotationEvent({ jobId: job.jobId, ...event })
            // Annotations belong to discussions: views of them re-read once, when the job is over.
            if (event.kind === 'job-finished' && event.progress.done > 0) ports.changed?.({ kinds: ['discussion'] })
          })
          .finally(() => jobs.delete(job.jobId))
        return { jobId: job.jobId }
      }),
    'annotations.cancelJob': ({ jobId }) => {
      const job = jobs.get(jobId)
      if (job === undefined) throw new ApiError('not-found', `Annotation job "${jobId}" is not running on this host.`)
      job.cancel()
      return { ok: true as const }
    },
    'annotations.putHuman': (input) =>
      guarded(async () => {
        const stored = await ports.putHuman(input)
        ports.changed?.({ kinds: ['discussion'] })
        return stored
      }),
    'annotations.humanQueue': (input) => guarded(() => ports.humanQueue(input)),
    'export.tables': (input) =>
      guarded(async () => {
        const result = await ports.exportTables(input)
        return {
          folder: result.folder,
          files: result.files.map((file) => ({ ...file, url: ports.downloadUrl(`${result.folder}/${file.name}`) })),
          problems: result.problems
        }
      })
  }
}
