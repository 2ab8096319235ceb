import { z } from 'zod'
import { defineContract } from './contract.js'

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

/** No input: an empty object, so the same call works over IPC and JSON alike. */
const NoInputSchema = z.strictObject({})

/**
 * The API between the UI and its host, written once. Hosts serve it through `createHandlerTable`,
 * UIs call it through `createClient`. Later slices add methods here.
 */
export const appContract = defineContract({
  'app.info': { input: NoInputSchema, output: AppInfoSchema },
  'workspace.summary': {
    input: z.strictObject({ path: z.string().min(1) }),
    output: WorkspaceSummarySchema
  }
})

export type AppContract = typeof appContract
