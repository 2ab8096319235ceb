import {
  AnnotatorSpecSchema,
  createStudioPorts,
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
import {
  ApiError,
  createStudioMethods,
  createWorkspaceMethods,
  type AppContract,
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
  /** Shows a native folder dialog; null when the user cancels. The only way a path enters the desktop host. */
  chooseFolder(purpose: FolderPurpose): Promise<string | null>
  /** Told after every write through the API, and when another workspace is opened. */
  changed(event: WorkspaceChanged): void
  /** Where run tokens go (main's `StreamHub`); dropped when not given. */
  streams?: { append(stream: string, ...tokens: string[]): unknown; end(stream: string): void }
  /** Publishes `run.events`. */
  runEvent?(event: RunEventPayload): void
}

export const NO_MODEL_ON_DESKTOP =
  'The desktop app cannot run discussions yet: inference is to run in a utility process. Use sdf run, or start sdf serve --model FILE and open it in a browser.'

/** Mutable state of the desktop host, kept here so main's index stays wiring only. */
export interface DesktopState {
  workspace: Workspace | null
  /** Chosen in a native dialog; the model work (later) reads it. */
  modelFolder: string | null
}

/** The desktop host's side of the contract: native dialogs choose paths, core does the work. */
export function createDesktopImplementation(deps: DesktopDeps): { implementation: Implementation<AppContract>; state: DesktopState } {
  const state: DesktopState = { workspace: deps.workspace, modelFolder: null }
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
  const studio = createStudioMethods({
    ...createStudioPorts({ workspace: () => state.workspace, backend: () => null }),
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
    ...studio
  }
  return { implementation, state }
}
