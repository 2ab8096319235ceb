import { join } from 'node:path'
import {
  AnnotatorSpecSchema,
  defaultLlamaThreads,
  createCorpusPorts,
  createDemoPorts,
  createModelsPorts,
  createStudioPorts,
  ModelSlot,
  withModelLeases,
  DiscussionSchema,
  ExperimentDesignSchema,
  IdSchema,
  importFileContents,
  InstructionSchema,
  PersonaSchema,
  sdfExportContents,
  TopicSchema,
  Workspace,
  WorkspaceError
} from '../core/index.js'
import { createPromptsPorts } from '../core/host/promptsPorts.js'
import { createRunsPorts, withRunLeases } from '../core/host/runsPorts.js'
import { createRunsMethods } from '../shared/runsMethods.js'
import { RunRegistry } from '../shared/runRegistry.js'
import type { WorkerContext, WorkerMethod } from './inference/workerProtocol.js'
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
  type WorkspaceChanged,
  type WorkspaceSummary
} from '../shared/index.js'

/** What a native folder dialog is asked for. */
export type FolderPurpose = 'open-workspace' | 'create-workspace' | 'models'

export interface DesktopDeps {
  version: string
  platform: string
  /** The workspace opened at start (SDF_WORKSPACE), or null. */
  workspace: Workspace | null
  /** The models folder at start (SDF_MODELS_FOLDER), as if chosen in the dialog; null or absent: none yet. */
  modelsFolder?: string | null
  /** Shows a native folder dialog; null when the user cancels. With the launch settings above, the only way a path enters the desktop host. */
  chooseFolder(purpose: FolderPurpose): Promise<string | null>
  /** Told after every write through the API, and when another workspace is opened. */
  changed(event: WorkspaceChanged): void
  /** Where run tokens go (main's `StreamHub`); dropped when not given. */
  streams?: { append(stream: string, ...tokens: string[]): unknown; end(stream: string): void }
  /** Publishes `run.events`. */
  runEvent?(event: RunEventPayload): void
  /** Publishes `annotation.events`. */
  annotationEvent?(event: AnnotationEventPayload): void
  /** Publishes `model.download`. */
  modelDownload?(event: ModelDownloadEvent): void
  /** The model slot (tests pass one with a shared Llama); one using all but one CPU core otherwise. */
  modelSlot?: ModelSlot
  /** Where `run.events` stands (main's `RunEventLog`), answered by `runs.status`. */
  runEventCursor?(): { epoch: string; next: number }
  /**
   * The inference worker (`InferenceWorkerHost`): when given, every method that touches the model
   * (models, runs, annotation jobs, the demo) goes to it, off the UI thread, with the workspace and
   * models folder chosen here; otherwise they run in this process (tests).
   */
  inference?: { methods(context: () => WorkerContext): Pick<Implementation<AppContract>, WorkerMethod> }
}

export const NO_MODEL_ON_DESKTOP =
  'No model is loaded, so discussions cannot run. Choose a models folder and load a model on the Models page (or try the demo).'

export const NO_ANNOTATION_ON_DESKTOP =
  'No model is loaded, so annotators cannot run. Choose a models folder and load a model on the Models page (or try the demo).'

/** Mutable state of the desktop host, kept here so main's index stays wiring only. */
export interface DesktopState {
  workspace: Workspace | null
  /** Chosen in a native dialog; the models methods (in the inference worker on the app) read it. */
  modelFolder: string | null
}

/** The desktop host's side of the contract: native dialogs choose paths, core does the work. */
export function createDesktopImplementation(deps: DesktopDeps): {
  implementation: Implementation<AppContract>
  state: DesktopState
  /** The in-process model slot (unused, never loaded, when the worker serves the model methods). */
  models: ModelSlot
} {
  const state: DesktopState = { workspace: deps.workspace, modelFolder: deps.modelsFolder ?? null }
  const models = deps.modelSlot ?? new ModelSlot({ threads: defaultLlamaThreads() })
  const methods = createWorkspaceMethods({
    current: () => state.workspace,
    schemas: {
      persona: PersonaSchema,
      topic: TopicSchema,
      instruction: InstructionSchema,
      discussion: DiscussionSchema,
      design: ExperimentDesignSchema,
      annotator: AnnotatorSpecSchema,
      id: IdSchema
    },
    importFiles: importFileContents,
    exportSdf: (workspace, discussionIds) =>
      sdfExportContents(workspace, discussionIds === undefined ? {} : { discussionIds }),
    changed: deps.changed
  })
  const runs = new RunRegistry({
    streams: deps.streams ?? { append: () => 0, end: () => undefined },
    runEvent: (event) => deps.runEvent?.(event),
    changed: deps.changed,
    eventCursor: () => deps.runEventCursor?.() ?? null
  })
  const studio = createStudioMethods({
    runs,
    ...withModelLeases(createStudioPorts({ workspace: () => state.workspace, backend: () => models.backend() }), models),
    modelsFolder: () => state.modelFolder,
    noBackendMessage: NO_MODEL_ON_DESKTOP,
    streams: deps.streams ?? { append: () => 0, end: () => undefined },
    runEvent: (event) => deps.runEvent?.(event),
    changed: deps.changed
  })

  async function switchTo(purpose: 'open-workspace' | 'create-workspace'): Promise<WorkspaceSummary | null> {
    const folder = await deps.chooseFolder(purpose)
    if (folder === null) return null
    try {
      state.workspace =
        purpose === 'create-workspace' ? await Workspace.create(folder) : await Workspace.open(folder)
    } catch (error) {
      if (error instanceof WorkspaceError) throw new ApiError('not-found', error.message)
      throw error
    }
    deps.changed({ kinds: ['persona', 'topic', 'instruction', 'discussion'] })
    return methods['workspace.summary']({})
  }

  const implementation: Implementation<AppContract> = {
    'app.info': () => ({
      version: deps.version,
      platform: deps.platform,
      host: 'electron',
      workspacePath: state.workspace?.root ?? null
    }),
    'workspace.open': () => switchTo('open-workspace'),
    'workspace.create': () => switchTo('create-workspace'),
    'models.chooseFolder': async () => {
      const folder = await deps.chooseFolder('models')
      if (folder === null) return null
      state.modelFolder = folder
      return { path: folder }
    },
    ...methods,
    ...studio,
    ...createRunsMethods({ ...withRunLeases(createRunsPorts({ workspace: () => state.workspace, backend: () => models.backend() }), models), runs, noBackendMessage: NO_MODEL_ON_DESKTOP }),
    ...createAnalysisMethods({
      ...createAnalysisPorts({ workspace: () => state.workspace, backend: () => models.backend(), leaseModel: () => models.lease() }),
      noBackendMessage: NO_ANNOTATION_ON_DESKTOP,
      annotationEvent: (event) => deps.annotationEvent?.(event),
      changed: deps.changed,
      // The desktop shows the export folder instead of downloading files.
      downloadUrl: () => null
    }),
    ...createModelsMethods(
      createModelsPorts({ slot: models, modelsFolder: () => state.modelFolder, downloadEvent: (event) => deps.modelDownload?.(event) })
    ),
    ...createCorpusMethods(createCorpusPorts({ workspace: () => state.workspace })),
    ...createDemoMethods(
      createDemoPorts({
        workspace: () => state.workspace,
        // The one-click demo needs no folder chosen: the workspace's own models folder will do.
        modelsFolder: () => state.modelFolder ?? (state.workspace === null ? null : join(state.workspace.root, 'models')),
        slot: models,
        startRun: async (designId, concurrency) => await studio['runs.start']({ designId, concurrency }),
        changed: () => deps.changed({ kinds: ['discussion', 'design', 'persona', 'topic', 'instruction', 'annotator'] })
      })
    ),
    ...createPromptsMethods(createPromptsPorts({ workspace: () => state.workspace })),
    ...createHumanLabelsMethods(createHumanLabelsPorts({ workspace: () => state.workspace, changed: () => deps.changed({ kinds: ['discussion'] }) })),
    // Last, so that with a worker the model's methods are its.
    ...deps.inference?.methods(() => ({ workspacePath: state.workspace?.root ?? null, modelsFolder: state.modelFolder }))
  }
  return { implementation, state, models }
}
