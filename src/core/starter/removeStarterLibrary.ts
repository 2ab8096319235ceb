import type { Workspace } from '../workspace/workspace.js'
import { isStarterRecord, type StarterCollection } from './starterLibrary.js'

export interface StarterRemoval {
  removed: Record<StarterCollection, string[]>
  /** Examples left in place, each with the reason. */
  kept: { id: string; reason: string }[]
}

export interface RemoveStarterOptions {
  /** Remove examples even when a design still uses them (the design then fails to expand). */
  force?: boolean
}

/** Ids of the records each design refers to, so examples a study relies on are not pulled from under it. */
async function designReferences(workspace: Workspace): Promise<Map<string, string[]>> {
  const users = new Map<string, string[]>()
  const { items } = await workspace.designs.list()
  for (const design of items) {
    const { personas, topics, user_instructions, moderator_instructions } = design.factors
    for (const id of [...personas.pool, ...topics, ...user_instructions, ...moderator_instructions]) {
      if (id === null) continue
      users.set(id, [...(users.get(id) ?? []), design.id])
    }
  }
  return users
}

/**
 * Deletes the starter examples: records whose id starts with `example-` and that are still marked
 * `example: true`. A record the researcher took over (by clearing the mark or copying it under
 * another id) stays, and so does an example a saved design uses, unless `force` is set.
 */
export async function removeStarterLibrary(workspace: Workspace, options: RemoveStarterOptions = {}): Promise<StarterRemoval> {
  const usedBy = options.force ? new Map<string, string[]>() : await designReferences(workspace)
  const result: StarterRemoval = { removed: { personas: [], topics: [], instructions: [], annotators: [] }, kept: [] }
  const sweep = async (
    name: StarterCollection,
    collection: { list(): Promise<{ items: { id: string; example?: boolean | undefined }[] }>; delete(id: string): Promise<void> }
  ): Promise<void> => {
    const { items } = await collection.list()
    for (const record of items) {
      if (!isStarterRecord(record)) continue
      const designs = usedBy.get(record.id)
      if (designs) {
        result.kept.push({ id: record.id, reason: `used by design${designs.length === 1 ? '' : 's'} ${designs.join(', ')}` })
        continue
      }
      await collection.delete(record.id)
      result.removed[name].push(record.id)
    }
  }
  await sweep('personas', workspace.personas)
  await sweep('topics', workspace.topics)
  await sweep('instructions', workspace.instructions)
  await sweep('annotators', workspace.annotators)
  return result
}
