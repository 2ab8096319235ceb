import { z } from 'zod'
import { defineContract, type MethodSpec } from './contract.js'
import { studioMethodSpecs } from './studioContract.js'
import { runsMethodSpecs } from './runsContract.js'
import { modelsMethodSpecs } from './modelsContract.js'
import { corpusMethodSpecs } from './corpusContract.js'
import { demoMethodSpecs } from './demoContract.js'
import { analysisMethodSpecs } from './analysisContract.js'
import { promptsMethodSpecs } from './promptsContract.js'
import { humanLabelsMethodSpecs } from './humanLabelsContract.js'
import { RECORD_COLLECTIONS, RecordIdSchema, RecordJsonSchema, RecordListInputSchema, RecordListingSchema, type RecordKind } from './records.js'

/** Which host serves the UI: the Electron main process or `sdf serve` in a browser. */
export const HostKindSchema = z.enum(['electron', 'web'])

export type HostKind = z.infer<typeof HostKindSchema>

export const AppInfoSchema = z.object({
  version: z.string().min(1),
  /** `process.platform` of the host, e.g. `linux`. */
  platform: z.string().min(1),
  host: HostKindSchema,
  /** The workspace folder the host opened, or null when none is open. */
  workspacePath: z.string().min(1).nullable()
})

export type AppInfo = z.infer<typeof AppInfoSchema>

const CountSchema = z.number().int().nonnegative()

export const WorkspaceCountsSchema = z.object({
  personas: CountSchema,
  topics: CountSchema,
  instructions: CountSchema,
  discussions: CountSchema,
  annotations: CountSchema
})

export const WorkspaceSummarySchema = z.object({
  path: z.string().min(1),
  counts: WorkspaceCountsSchema
})

export type WorkspaceSummary = z.infer<typeof WorkspaceSummarySchema>

/**
 * A file the user handed to the UI (a browser upload, or a file dropped on the window): the host
 * imports its text and never learns a path on the user's machine. `name` may keep the folders the
 * user picked (`discussions_input/topics/a.txt`), because SDF's folder names say what a text file is.
 */
export const UploadedFileSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(1024)
    .refine(
      (name) =>
        !name.includes('\0') &&
        !name.includes('\\') &&
        !name.startsWith('/') &&
        name.split('/').every((part) => part !== '' && part !== '.' && part !== '..'),
      'must be a relative name: folders separated by "/", without "..", "." or empty parts'
    ),
  text: z.string()
})

export type UploadedFile = z.infer<typeof UploadedFileSchema>

/** What text files are when their folder does not say (the CLI's `--as`). */
export const TextFileKindSchema = z.enum(['topic', 'user-instruction', 'moderator-instruction', 'annotator-instruction'])

export const ImportOutcomeSchema = z.object({
  personas: CountSchema,
  topics: CountSchema,
  instructions: CountSchema,
  discussions: CountSchema,
  comments: CountSchema,
  annotations: CountSchema,
  /** One entry per rejected file, named as it was uploaded; nothing of a rejected file is written. */
  errors: z.array(z.object({ file: z.string(), message: z.string() }))
})

export type ImportOutcome = z.infer<typeof ImportOutcomeSchema>

export const SdfExportSchema = z.object({
  discussions: CountSchema,
  annotationFiles: CountSchema,
  /** `discussions/<id>.json` and `annotations/<id>.<annotator>.json`, as the original tooling reads them. */
  files: z.array(z.object({ name: z.string().min(1), text: z.string() }))
})

export type SdfExport = z.infer<typeof SdfExportSchema>

/** No input: an empty object, so the same call works over IPC and JSON alike. */
const NoInputSchema = z.strictObject({})

/** A folder chosen in a native dialog, or null when the user cancelled it. */
const ChosenFolderSchema = z.object({ path: z.string().min(1) }).nullable()

const IdInputSchema = z.strictObject({ id: RecordIdSchema })
const PutInputSchema = z.strictObject({ record: RecordJsonSchema })
const DeleteOutputSchema = z.object({ deleted: z.boolean() })

type RecordMethodSpecs<P extends string> = { readonly [M in `${P}.list`]: MethodSpec<typeof RecordListInputSchema, typeof RecordListingSchema> } & {
  readonly [M in `${P}.get`]: MethodSpec<typeof IdInputSchema, typeof RecordJsonSchema>
} & { readonly [M in `${P}.put`]: MethodSpec<typeof PutInputSchema, typeof RecordJsonSchema> } & {
  readonly [M in `${P}.delete`]: MethodSpec<typeof IdInputSchema, typeof DeleteOutputSchema>
}

/** list (one page, in id order), get, put (create or replace; answers the record as stored) and delete for one kind of record. */
function recordMethods<const P extends string>(prefix: P): RecordMethodSpecs<P> {
  return {
    [`${prefix}.list`]: { input: RecordListInputSchema, output: RecordListingSchema },
    [`${prefix}.get`]: { input: IdInputSchema, output: RecordJsonSchema },
    [`${prefix}.put`]: { input: PutInputSchema, output: RecordJsonSchema },
    [`${prefix}.delete`]: { input: IdInputSchema, output: DeleteOutputSchema }
  } as RecordMethodSpecs<P>
}

/**
 * The API between the UI and its host, written once. Hosts serve it through `createHandlerTable`,
 * UIs call it through `createClient`. Events (token streams, workspace changes) are in `appEvents`.
 *
 * No method takes a filesystem path: the web host serves the one workspace chosen when it started,
 * and the desktop host takes paths only from its own native dialogs.
 */
export const appContract = defineContract({
  'app.info': { input: NoInputSchema, output: AppInfoSchema },
  /** Counts of the open workspace; fails with `no-workspace` when none is open. */
  'workspace.summary': { input: NoInputSchema, output: WorkspaceSummarySchema },
  /** Desktop: asks for a workspace folder in a native dialog and opens it (null if cancelled). Web: `forbidden`. */
  'workspace.open': { input: NoInputSchema, output: WorkspaceSummarySchema.nullable() },
  /** Desktop: asks for a folder in a native dialog and makes it a new workspace (null if cancelled). Web: `forbidden`. */
  'workspace.create': { input: NoInputSchema, output: WorkspaceSummarySchema.nullable() },
  /** Desktop: asks for the folder that holds GGUF models. Web: `forbidden` (the server is started with its models). */
  'models.chooseFolder': { input: NoInputSchema, output: ChosenFolderSchema },
  ...recordMethods(RECORD_COLLECTIONS.persona),
  ...recordMethods(RECORD_COLLECTIONS.topic),
  ...recordMethods(RECORD_COLLECTIONS.instruction),
  ...recordMethods(RECORD_COLLECTIONS.discussion),
  ...recordMethods(RECORD_COLLECTIONS.design),
  ...recordMethods(RECORD_COLLECTIONS.annotator),
  ...studioMethodSpecs,
  ...runsMethodSpecs,
  ...modelsMethodSpecs,
  ...corpusMethodSpecs,
  ...demoMethodSpecs,
  ...analysisMethodSpecs,
  ...promptsMethodSpecs,
  ...humanLabelsMethodSpecs,
  /** Imports files the user handed over, through core's importer; one bad file never stops the others. */
  'import.files': {
    input: z.strictObject({
      files: z.array(UploadedFileSchema).min(1).max(10_000),
      textKind: TextFileKindSchema.optional()
    }),
    output: ImportOutcomeSchema
  },
  /** Discussions and their annotations as SDF files, returned as contents (the UI offers them as a download). */
  'export.sdf': {
    input: z.strictObject({ discussionIds: z.array(RecordIdSchema).optional() }),
    output: SdfExportSchema
  }
})

export type AppContract = typeof appContract

/** The contract's method names for one kind of record, e.g. `recordMethodNames('persona').get === 'personas.get'`. */
export function recordMethodNames<K extends RecordKind>(kind: K) {
  const prefix = RECORD_COLLECTIONS[kind]
  return {
    list: `${prefix}.list`,
    get: `${prefix}.get`,
    put: `${prefix}.put`,
    delete: `${prefix}.delete`
  } as const
}
