import {
  APP_VERSION,
  DiscussionSchema,
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
  createWorkspaceMethods,
  type AppContract,
  type Implementation,
  type WorkspaceChanged
} from '../shared/index.js'

export interface WebImplementationDeps {
  /** The one workspace this server serves, chosen when it started. */
  workspace: Workspace
  /** Told after every write through the API (the server publishes `workspace.changed`). */
  changed(event: WorkspaceChanged): void
}

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
      schemas: { persona: PersonaSchema, topic: TopicSchema, instruction: InstructionSchema, discussion: DiscussionSchema, id: IdSchema },
      importFiles: importFileContents,
      exportSdf: (workspace, discussionIds) =>
      sdfExportContents(workspace, discussionIds === undefined ? {} : { discussionIds }),
      changed: deps.changed
    })
  }
}
