// Test helpers for the app contract (not a test file: vitest runs only *.test.ts).
import {
  ApiError,
  appContract,
  methodNames,
  type AppContract,
  type AppInfo,
  type Implementation,
  type WorkspaceSummary
} from '../../../src/shared/index.js'

export const FAKE_INFO: AppInfo = { version: '0.1.0', platform: 'linux', host: 'electron', workspacePath: '/ws' }

export const FAKE_SUMMARY: WorkspaceSummary = {
  path: '/ws',
  counts: { personas: 3, topics: 2, instructions: 1, discussions: 4, annotations: 0 }
}

/** Every contract method answering `not-implemented`, except the ones given. */
export function fakeImplementation(overrides: Partial<Implementation<AppContract>> = {}): Implementation<AppContract> {
  const stubs = Object.fromEntries(
    methodNames(appContract).map((method) => [
      method,
      () => {
        throw new ApiError('not-implemented', `${method} is not part of this test`)
      }
    ])
  ) as unknown as Implementation<AppContract>
  return {
    ...stubs,
    'app.info': () => FAKE_INFO,
    'workspace.summary': () => FAKE_SUMMARY,
    ...overrides
  }
}
