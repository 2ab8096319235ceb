import type { Workspace } from '../workspace/workspace.js'
import { STARTER_LIBRARY, type StarterCollection } from './starterLibrary.js'

export type StarterCounts = Record<StarterCollection, number>

export interface InstallStarterOptions {
  /** Write every example even where one with its id exists: restores edited examples to the original. */
  overwrite?: boolean
}

/**
 * Writes the starter examples into a workspace and returns how many records were written. By
 * default an example already there is left alone, so reinstalling after a removal brings back only
 * what is missing and never undoes a researcher's edits.
 */
export async function installStarterLibrary(workspace: Workspace, options: InstallStarterOptions = {}): Promise<StarterCounts> {
  // Each collection spelled out: each needs its own schema type, which a loop over the keys would lose.
  const write = async <T extends { id: string }>(
    collection: { has(id: string): Promise<boolean>; put(value: T): Promise<unknown> },
    records: readonly T[]
  ): Promise<number> => {
    // In parallel: every atomic write waits for an fsync, and a new workspace should open at once.
    const written = await Promise.all(
      records.map(async (record) => {
        if (!options.overwrite && (await collection.has(record.id))) return 0
        await collection.put(record)
        return 1
      })
    )
    return written.reduce<number>((sum, one) => sum + one, 0)
  }
  const [personas, topics, instructions, annotators] = await Promise.all([
    write(workspace.personas, STARTER_LIBRARY.personas),
    write(workspace.topics, STARTER_LIBRARY.topics),
    write(workspace.instructions, STARTER_LIBRARY.instructions),
    write(workspace.annotators, STARTER_LIBRARY.annotators)
  ])
  return { personas, topics, instructions, annotators }
}
