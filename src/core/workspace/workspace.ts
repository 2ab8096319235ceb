import { mkdir, readFile, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import {
  AnnotatorSpecSchema,
  DiscussionConfigSchema,
  DiscussionSchema,
  ImportedSettingsSchema,
  InstructionSchema,
  PersonaSchema,
  TopicSchema
} from '../schema/index.js'
import { ExperimentDesignSchema } from '../design/experimentDesign.js'
import { installStarterLibrary } from '../starter/installStarterLibrary.js'
import { APP_VERSION } from '../version.js'
import { AnnotationStore } from './annotationStore.js'
import { writeJsonAtomically } from './atomicFile.js'
import { JsonCollection } from './jsonCollection.js'
import {
  ANNOTATIONS_FOLDER,
  COLLECTION_FOLDERS,
  RUNS_FOLDER,
  UNLINKED_ANNOTATIONS_FOLDER,
  WORKSPACE_MANIFEST_FILE
} from './layout.js'
import { resolveInsideWorkspace } from './paths.js'

export const WorkspaceManifestSchema = z.object({
  format: z.literal('sdf-studio-workspace'),
  version: z.literal(1),
  created_at: z.string(),
  created_by: z.string()
})
export type WorkspaceManifest = z.infer<typeof WorkspaceManifestSchema>

export class WorkspaceError extends Error {
  override readonly name = 'WorkspaceError'
}

export interface WorkspaceSummary {
  personas: number
  topics: number
  instructions: number
  discussion_configs: number
  discussions: number
  annotations: number
  unlinked_annotations: number
}

/**
 * A workspace is a plain folder of JSON and JSONL files that the desktop app, the CLI and
 * `sdf serve` all open. Files are the source of truth: nothing is held only in memory.
 */
export class Workspace {
  readonly personas: JsonCollection<typeof PersonaSchema>
  readonly topics: JsonCollection<typeof TopicSchema>
  readonly instructions: JsonCollection<typeof InstructionSchema>
  readonly discussionConfigs: JsonCollection<typeof DiscussionConfigSchema>
  readonly settings: JsonCollection<typeof ImportedSettingsSchema>
  readonly annotators: JsonCollection<typeof AnnotatorSpecSchema>
  readonly designs: JsonCollection<typeof ExperimentDesignSchema>
  readonly discussions: JsonCollection<typeof DiscussionSchema>
  readonly annotations: AnnotationStore

  private constructor(readonly root: string) {
    const folder = (name: string) => join(root, name)
    this.personas = new JsonCollection(folder(COLLECTION_FOLDERS.personas), PersonaSchema, 'persona')
    this.topics = new JsonCollection(folder(COLLECTION_FOLDERS.topics), TopicSchema, 'topic')
    this.instructions = new JsonCollection(folder(COLLECTION_FOLDERS.instructions), InstructionSchema, 'instruction')
    this.discussionConfigs = new JsonCollection(
      folder(COLLECTION_FOLDERS.discussionConfigs),
      DiscussionConfigSchema,
      'discussion config'
    )
    this.settings = new JsonCollection(folder(COLLECTION_FOLDERS.settings), ImportedSettingsSchema, 'settings file')
    this.annotators = new JsonCollection(folder(COLLECTION_FOLDERS.annotators), AnnotatorSpecSchema, 'annotator spec')
    this.designs = new JsonCollection(folder(COLLECTION_FOLDERS.designs), ExperimentDesignSchema, 'experiment design')
    this.discussions = new JsonCollection(folder(COLLECTION_FOLDERS.discussions), DiscussionSchema, 'discussion')
    this.annotations = new AnnotationStore(folder(ANNOTATIONS_FOLDER), folder(UNLINKED_ANNOTATIONS_FOLDER))
  }

  /** Opens an existing workspace, or creates one when `create` is set and the folder holds none. */
  static async open(directory: string, options: { create?: boolean } = {}): Promise<Workspace> {
    const root = resolve(directory)
    const manifestPath = join(root, WORKSPACE_MANIFEST_FILE)
    let manifestText: string | undefined
    try {
      manifestText = await readFile(manifestPath, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    if (manifestText === undefined) {
      if (!options.create) {
        throw new WorkspaceError(
          `${root} is not an SDF Studio workspace (no ${WORKSPACE_MANIFEST_FILE}); create one first or choose another folder`
        )
      }
      return Workspace.create(root)
    }
    let manifest: unknown
    try {
      manifest = JSON.parse(manifestText)
    } catch {
      throw new WorkspaceError(`${manifestPath}: not valid JSON; restore it or recreate the workspace manifest`)
    }
    const parsed = WorkspaceManifestSchema.safeParse(manifest)
    if (!parsed.success) {
      throw new WorkspaceError(
        `${manifestPath}: not an SDF Studio workspace manifest of a version this app reads (expected format "sdf-studio-workspace", version 1)`
      )
    }
    return new Workspace(root)
  }

  static async create(directory: string): Promise<Workspace> {
    const root = resolve(directory)
    const existing = await stat(root).catch(() => undefined)
    if (existing && !existing.isDirectory()) {
      throw new WorkspaceError(`${root} exists and is not a folder; choose a folder for the workspace`)
    }
    await mkdir(root, { recursive: true })
    for (const name of [
      ...Object.values(COLLECTION_FOLDERS),
      ANNOTATIONS_FOLDER,
      UNLINKED_ANNOTATIONS_FOLDER,
      RUNS_FOLDER
    ]) {
      await mkdir(join(root, name), { recursive: true })
    }
    const manifestPath = join(root, WORKSPACE_MANIFEST_FILE)
    const workspace = new Workspace(root)
    if (!(await stat(manifestPath).catch(() => undefined))) {
      // Examples first, manifest last: a workspace that exists is one that was fully set up.
      await installStarterLibrary(workspace)
      const manifest: WorkspaceManifest = {
        format: 'sdf-studio-workspace',
        version: 1,
        created_at: new Date().toISOString(),
        created_by: `SDF Studio ${APP_VERSION}`
      }
      await writeJsonAtomically(manifestPath, manifest)
    }
    return workspace
  }

  /** A path inside the workspace; throws for anything that would escape it. */
  resolve(...segments: string[]): string {
    return resolveInsideWorkspace(this.root, ...segments)
  }

  async summary(): Promise<WorkspaceSummary> {
    const annotationCounts = await this.annotations.count()
    return {
      personas: (await this.personas.ids()).length,
      topics: (await this.topics.ids()).length,
      instructions: (await this.instructions.ids()).length,
      discussion_configs: (await this.discussionConfigs.ids()).length,
      discussions: (await this.discussions.ids()).length,
      annotations: annotationCounts.linked,
      unlinked_annotations: annotationCounts.unlinked
    }
  }
}
