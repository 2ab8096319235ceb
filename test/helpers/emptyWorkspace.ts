import { removeStarterLibrary, Workspace } from '../../src/core/index.js'

/** A new workspace without the starter examples, for tests that count what they put in. */
export async function emptyWorkspace(directory: string): Promise<Workspace> {
  const workspace = await Workspace.create(directory)
  await removeStarterLibrary(workspace, { force: true })
  return workspace
}
