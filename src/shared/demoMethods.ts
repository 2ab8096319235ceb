import { ApiError } from './apiError.js'
import type { AppContract } from './appContract.js'
import type { Implementation } from './contract.js'
import type { DemoStatus } from './demoContract.js'
import { withEngineErrors } from './engineErrors.js'

/** The demo behind the methods; core's `createDemoPorts` builds it for a host. */
export interface DemoPorts {
  hasWorkspace(): boolean
  /** Turns a port's error into a typed one; null: not one it knows. */
  describeError(error: unknown): { code: 'invalid-input' | 'not-found' | 'unavailable'; message: string } | null
  status(): DemoStatus
  start(concurrency: number): Promise<{
    runId: string
    designId: string
    discussionIds: string[]
    modelFileName: string
    replacedModel: string | null
    notice: string
  }>
}

export type DemoMethods = Pick<Implementation<AppContract>, 'demo.start' | 'demo.status'>

const NO_WORKSPACE = 'No workspace is open. Open or create one first.'

/** The demo methods, written once for both hosts. */
export function createDemoMethods(ports: DemoPorts): DemoMethods {
  return {
    'demo.start': async ({ concurrency }) => {
      if (!ports.hasWorkspace()) throw new ApiError('no-workspace', NO_WORKSPACE)
      return withEngineErrors((error) => ports.describeError(error), () => ports.start(concurrency))
    },
    'demo.status': () => ports.status()
  }
}
