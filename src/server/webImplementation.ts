import { join } from 'node:path'
import {
  AnnotatorSpecSchema,
  APP_VERSION,
  createCorpusPorts,
  createDemoPorts,
  createModelsPorts,
  createStudioPorts,
  DiscussionSchema,
  ModelSlot,
  type ModelsPortsOptions,
  withModelLeases,
  ExperimentDesignSchema,
  type InferenceBackend,
  IdSchema,
  importFileContents,
  InstructionSchema,
  PersonaSchema,
  sdfExportContents,
  TopicSchema,
  type Workspace
} from '../core/index.js'
import { createPromptsPorts } from '../core/host/promptsPorts.js'
import { createRunsPorts, withRunLeases } from '../core/host/runsPorts.js'
import { createRunsMethods } from '../shared/runsMethods.js'
import { RunRegistry } from '../shared/runRegistry.js'
import { createPromptsMethods } from '../shared/promptsMethods.js'
import { createHumanLabelsPorts } from '../core/host/humanLabelsPorts.js'
import { createHumanLabelsMethods } from '../shared/humanLabelsMethods.js'
import { createAnalysisPorts } from '../core/host/analysisPorts.js'
import { createAnalysisMethods } from '../shared/analysisMethods.js'
import type { AnnotationEventPayload } from '../shared/analysisContract.js'
import {
  ApiError,
  createCorpusMethods,
  createDemoMethods,
  createModelsMethods,
  createStudioMethods,
  createWorkspaceMethods,
  type AppContract,
  type ModelDownloadEvent,
  type RunEventPayload,
  type Implementation,
  type WorkspaceChanged
} from '../shared/index.js'

export interface WebImplementationDeps {
  /** The one workspace this server serves, chosen when it started. */
  workspace: Workspace
  /** Told after every write through the API (the server publishes `workspace.changed`). */
  changed(event: WorkspaceChanged): void
  /** The model runs generate on (`sdf serve --model`), or null. */
  backend?: InferenceBackend | null
  /** The folder `models.list` lists (`sdf serve --models DIR`); `<workspace>/models` unless given. */
  modelsFolder?: string
  /** Where run tokens go (the server's `StreamHub`); dropped when not given. */
  streams?: { append(stream: string, ...tokens: string[]): unknown; end(stream: string): void }
  /** Publishes `run.events`. */
  runEvent?(event: RunEventPayload): void
  /** Where `run.events` stands (the server's `RunEventLog`), answered by `runs.status`. */
  runEventCursor?(): { epoch: string; next: number }
  /** Publishes `annotation.events`. */
  annotationEvent?(event: AnnotationEventPayload): void
  /** The model runs use, switchable with `models.load`/`unload`; one holding `backend` (4 threads) unless given. */
  modelSlot?: ModelSlot
  /** Publishes `model.download`. */
  modelDownload?(event: ModelDownloadEvent): void
  /** How models are fetched: core's `downloadModel` unless given (tests). */
  downloadModel?: ModelsPortsOptions['download']
}

export const RECORD_SCHEMAS = {
  persona: PersonaSchema,
  topic: TopicSchema,
  instruction: InstructionSchema,
  discussion: DiscussionSchema,
  design: ExperimentDesignSchema,
  annotator: AnnotatorSpecSchema,
  id: IdSchema
}

export const NO_MODEL_ON_SERVER =
  'No model is loaded on this server, so it cannot run discussions. Load one on the Models page (or start sdf serve --model FILE).'

export const NO_MODEL_TO_ANNOTATE =
  'No model is loaded on this server, so it cannot run annotators. Load one on the Models page (or start sdf serve --model FILE).'

/** Where the server's download route serves a workspace-relative file (see `serveDownload`). */
export function downloadPath(workspacePath: string): string {
  return `/download/${workspacePath.split('/').map(encodeURIComponent).join('/')}`
}

const ONE_WORKSPACE =
  'The web host serves the one workspace it was started with; to use another, restart it with sdf serve --workspace DIR.'

/** The web host's side of the contract: core does the work; no method lets a browser name a server path. */
export function createWebImplementation(deps: WebImplementationDeps): Implementation<AppContract> {
  const refuse = (message: string) => () => {
    throw new ApiError('forbidden', message)
  }
  const models = deps.modelSlot ?? new ModelSlot({ threads: 4, initial: deps.backend ?? null })
  const modelsFolder = () => deps.modelsFolder ?? join(deps.workspace.root, 'models')
  const runs = new RunRegistry({
    streams: deps.streams ?? { append: () => 0, end: () => undefined },
    runEvent: (event) => deps.runEvent?.(event),
    changed: deps.changed,
    eventCursor: () => deps.runEventCursor?.() ?? null
  })
  const studio = createStudioMethods({
    runs,
    ...withModelLeases(createStudioPorts({ workspace: () => deps.workspace, backend: () => models.backend() }), models),
    modelsFolder,
    noBackendMessage: NO_MODEL_ON_SERVER,
    streams: deps.streams ?? { append: () => 0, end: () => undefined },
    runEvent: (event) => deps.runEvent?.(event),
    changed: deps.changed
  })
  return {
    'app.info': () => ({ version: APP_VERSION, platform: process.platform, host: 'web', workspacePath: deps.workspace.root }),
    'workspace.open': refuse(ONE_WORKSPACE),
    'workspace.create': refuse(ONE_WORKSPACE),
    'models.chooseFolder': refuse(
      'A browser cannot choose folders on the server; the web host uses the models it was started with.'
    ),
    ...createWorkspaceMethods({
      current: () => deps.workspace,
      schemas: RECORD_SCHEMAS,
      importFiles: importFileContents,
      exportSdf: (workspace, discussionIds) =>
      sdfExportContents(workspace, discussionIds === undefined ? {} : { discussionIds }),
      changed: deps.changed
    }),
    ...createPromptsMethods(createPromptsPorts({ workspace: () => deps.workspace })),
    ...createHumanLabelsMethods(createHumanLabelsPorts({ workspace: () => deps.workspace, changed: () => deps.changed({ kinds: ['discussion'] }) })),
    ...createAnalysisMethods({
      ...createAnalysisPorts({ workspace: () => deps.workspace, backend: () => models.backend(), leaseModel: () => models.lease() }),
      noBackendMessage: NO_MODEL_TO_ANNOTATE,
      annotationEvent: (event) => deps.annotationEvent?.(event),
      changed: deps.changed,
      downloadUrl: downloadPath
    }),
    ...studio,
    ...createRunsMethods({ ...withRunLeases(createRunsPorts({ workspace: () => deps.workspace, backend: () => models.backend() }), models), runs, noBackendMessage: NO_MODEL_ON_SERVER }),
    ...createModelsMethods(
      createModelsPorts({
        slot: models,
        modelsFolder,
        downloadEvent: (event) => deps.modelDownload?.(event),
        ...(deps.downloadModel ? { download: deps.downloadModel } : {})
      })
    ),
    ...createCorpusMethods(createCorpusPorts({ workspace: () => deps.workspace })),
    ...createDemoMethods(
      createDemoPorts({
        workspace: () => deps.workspace,
        modelsFolder,
        slot: models,
        startRun: async (designId, concurrency) => await studio['runs.start']({ designId, concurrency }),
        changed: () => deps.changed({ kinds: ['discussion', 'design', 'persona', 'topic', 'instruction', 'annotator'] })
      })
    )
  }
}
