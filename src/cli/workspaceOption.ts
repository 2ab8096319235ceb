import { resolve } from 'node:path'
import { Option } from 'commander'

/** Where commands find the workspace when `--workspace` is not given. */
export const DEFAULT_WORKSPACE = process.env.SDF_WORKSPACE ?? 'sdf-workspace'

export function workspaceOption(): Option {
  return new Option('-w, --workspace <dir>', 'workspace folder (created if missing; env SDF_WORKSPACE)').default(
    DEFAULT_WORKSPACE
  )
}

export function workspacePath(option: string): string {
  return resolve(option)
}
