import type { z } from 'zod'
import { ApiError, describeIssues, issueDetails } from './apiError.js'
import type {
  AppContract,
  ImportOutcome,
  SdfExport,
  UploadedFile,
  WorkspaceSummary
} from './appContract.js'
import type { WorkspaceChanged } from './appEvents.js'
import type { Implementation } from './contract.js'
import { MAX_RECORD_PAGE_BYTES, RECORD_COLLECTIONS, RecordKindSchema, type RecordJson, type RecordKind } from './records.js'

/** One folder of records, as core's `JsonCollection` offers it (hosts pass core's objects as they are). */
export interface RecordStorePort {
  /**
   * Up to `limit` records from `offset` in id order, fewer once their files reach `maxBytes`;
   * `read` is how many ids the page went through, `total` counts every record file of the kind.
   */
  listPage(
    offset: number,
    limit: number,
    maxBytes: number
  ): Promise<{ items: readonly object[]; problems: readonly { file: string; message: string }[]; total: number; read: number }>
  get(id: string): Promise<object | undefined>
  put(record: object): Promise<object>
  delete(id: string): Promise<void>
  has(id: string): Promise<boolean>
}

/** The part of core's `Workspace` these methods use. */
export interface WorkspacePort {
  readonly root: string
  readonly personas: RecordStorePort
  readonly topics: RecordStorePort
  readonly instructions: RecordStorePort
  readonly discussions: RecordStorePort
  readonly designs: RecordStorePort
  readonly annotators: RecordStorePort
  summary(): Promise<{
    personas: number
    topics: number
    instructions: number
    discussions: number
    annotations: number
    unlinked_annotations: number
  }>
}

type TextFileKind = NonNullable<z.output<AppContract['import.files']['input']>['textKind']>

export interface WorkspaceMethodsPorts<W extends WorkspacePort> {
  /** The workspace the host has open, or null. */
  current(): W | null
  /** Core's schemas: a record is parsed with the one for its kind before it is stored. */
  schemas: { readonly [K in RecordKind]: z.ZodType<{ id: string }> } & { readonly id: z.ZodType<string> }
  importFiles(workspace: W, files: readonly UploadedFile[], options: { textKind?: TextFileKind }): Promise<ImportOutcome>
  exportSdf(workspace: W, discussionIds: readonly string[] | undefined): Promise<SdfExport>
  /** Told after every write, so the host can publish `workspace.changed`. */
  changed?(event: WorkspaceChanged): void
}

type RecordMethodName = `${(typeof RECORD_COLLECTIONS)[RecordKind]}.${'list' | 'get' | 'put' | 'delete'}`

export type WorkspaceMethods = Pick<
  Implementation<AppContract>,
  'workspace.summary' | RecordMethodName | 'import.files' | 'export.sdf'
>

const NO_WORKSPACE = 'No workspace is open. Open or create one first.'

/**
 * The contract's workspace methods, written once for every host against the little of core they
 * need (passed in, because shared may not import core). Hosts add what differs between them:
 * app info, and how a workspace or a folder is chosen.
 */
export function createWorkspaceMethods<W extends WorkspacePort>(ports: WorkspaceMethodsPorts<W>): WorkspaceMethods {
  function workspace(): W {
    const current = ports.current()
    if (current === null) throw new ApiError('no-workspace', NO_WORKSPACE)
    return current
  }

  function checkId(kind: RecordKind | 'discussion', id: string): string {
    const parsed = ports.schemas.id.safeParse(id)
    if (!parsed.success) {
      throw new ApiError('invalid-input', `"${id}" is not a valid ${kind} id: ${describeIssues(parsed.error)}`, issueDetails(parsed.error))
    }
    return parsed.data
  }

  function recordMethods(kind: RecordKind) {
    const store = (): RecordStorePort => workspace()[RECORD_COLLECTIONS[kind]]
    const prefix = RECORD_COLLECTIONS[kind]
    return {
      [`${prefix}.list`]: async ({ offset, limit }: { offset: number; limit: number }) => {
        const { items, problems, total, read } = await store().listPage(offset, limit, MAX_RECORD_PAGE_BYTES)
        const nextOffset = offset + read < total ? offset + read : null
        return { items: items as RecordJson[], problems: [...problems], total, nextOffset }
      },
      [`${prefix}.get`]: async ({ id }: { id: string }) => {
        const record = await store().get(checkId(kind, id))
        if (record === undefined) throw new ApiError('not-found', `There is no ${kind} "${id}" in this workspace.`)
        return record as RecordJson
      },
      [`${prefix}.put`]: async ({ record }: { record: RecordJson }) => {
        const target = store()
        const parsed = ports.schemas[kind].safeParse(record)
        if (!parsed.success) {
          throw new ApiError('invalid-input', `This ${kind} is not valid: ${describeIssues(parsed.error)}`, issueDetails(parsed.error))
        }
        const stored = await target.put(parsed.data)
        ports.changed?.({ kinds: [kind] })
        return stored as RecordJson
      },
      [`${prefix}.delete`]: async ({ id }: { id: string }) => {
        const target = store()
        const checked = checkId(kind, id)
        const deleted = await target.has(checked)
        await target.delete(checked)
        if (deleted) ports.changed?.({ kinds: [kind] })
        return { deleted }
      }
    }
  }

  const records = Object.assign(
    {},
    ...RecordKindSchema.options.map((kind) => recordMethods(kind))
  ) as Pick<WorkspaceMethods, RecordMethodName>

  const others: Omit<WorkspaceMethods, RecordMethodName> = {
    'workspace.summary': async (): Promise<WorkspaceSummary> => {
      const current = workspace()
      const summary = await current.summary()
      return {
        path: current.root,
        counts: {
          personas: summary.personas,
          topics: summary.topics,
          instructions: summary.instructions,
          discussions: summary.discussions,
          annotations: summary.annotations + summary.unlinked_annotations
        }
      }
    },
    'import.files': async ({ files, textKind }) => {
      const current = workspace()
      const outcome = await ports.importFiles(current, files, textKind === undefined ? {} : { textKind })
      ports.changed?.({ kinds: [...RecordKindSchema.options] })
      return outcome
    },
    'export.sdf': async ({ discussionIds }) => {
      const current = workspace()
      for (const id of discussionIds ?? []) {
        if (!(await current.discussions.has(checkId('discussion', id)))) {
          throw new ApiError('not-found', `There is no discussion "${id}" in this workspace.`)
        }
      }
      return ports.exportSdf(current, discussionIds)
    }
  }
  return { ...records, ...others }
}
