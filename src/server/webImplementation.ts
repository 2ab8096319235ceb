import { join } from 'node:path'
import {
  AnnotatorSpecSchema,
  APP_VERSION,
  createStudioPorts,
  DiscussionSchema,
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
import {
  ApiError,
  createStudioMethods,
  createWorkspaceMethods,
  type AppContract,
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
  'No model is loaded on this server, so it cannot run discussions. Restart it with sdf serve --model FILE (a GGUF model).'

const ONE_WORKSPACE =
  'The web host serves the one workspace it was started with; to use another, restart it with sdf serve --workspace DIR.'

/** The web host's side of the contract: core does the work; no method lets a browser name a server path. */
export function createWebImplementation(deps: WebImplementationDeps): Implementation<AppContract> {
  const refuse = (message: string) => () => {
    throw new ApiError('forbidden', message)
  }
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
    ...createStudioMethods({
      ...createStudioPorts({ workspace: () => deps.workspace, backend: () => deps.backend ?? null }),
      modelsFolder: () => deps.modelsFolder ?? join(deps.workspace.root, 'models'),
      noBackendMessage: NO_MODEL_ON_SERVER,
      streams: deps.streams ?? { append: () => 0, end: () => undefined },
      runEvent: (event) => deps.runEvent?.(event),
      changed: deps.changed
    })
  }
}
