import { type AppContract, type Implementation, type WorkspaceSummary } from '../shared/index.js'

export interface AppImplementationDeps {
  version: string
  platform: string
  /** The workspace the desktop app opened, or null. */
  workspacePath: string | null
  /** Counts a workspace's files; comes from core. */
  summarizeWorkspace: (path: string) => Promise<WorkspaceSummary>
}

/** The desktop host's side of the contract: adapters only, the work is done by core. */
export function createAppImplementation(deps: AppImplementationDeps): Implementation<AppContract> {
  return {
    'app.info': () => ({
      version: deps.version,
      platform: deps.platform,
      host: 'electron',
      workspacePath: deps.workspacePath
    }),
    'workspace.summary': ({ path }) => deps.summarizeWorkspace(path)
  }
}
