import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { REPO_ROOT } from './fixtures.js'

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/** Runs the real `bin/sdf` in a child process, as a user would. */
export function runSdf(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(REPO_ROOT, 'bin', 'sdf'), ...args],
      { cwd: options.cwd ?? REPO_ROOT, env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({ code, stdout, stderr })
      }
    )
  })
}
