#!/usr/bin/env node
// `npm start`: checks that the Electron binary exists, builds with electron-vite, then opens the
// desktop app (out/main/index.js, through package.json's "main"). Where Electron was installed
// without its binary it says so plainly and exits 1.
//   SDF_START_SKIP_BUILD=1  skip the build (use what is in out/)
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const require = createRequire(import.meta.url)

const NO_BINARY = `sdf start: the Electron binary is not installed on this machine, so the desktop app cannot open.

  Where network access is available, fetch it with
      node node_modules/electron/install.js
  or reinstall the dependencies without ELECTRON_SKIP_BINARY_DOWNLOAD set (npm ci).

  To open SDF Studio in a browser instead, run
      npm run serve
`

/** The path of the Electron executable, or null when the package was installed without it. */
function electronBinary() {
  let binary
  try {
    // The electron package exports the executable's path, and throws when its binary is missing.
    binary = require('electron')
  } catch {
    return null
  }
  return typeof binary === 'string' && existsSync(binary) ? binary : null
}

const binary = electronBinary()
if (binary === null) {
  process.stderr.write(NO_BINARY)
  process.exit(1)
}

if (!process.env.SDF_START_SKIP_BUILD) {
  const electronVite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  const build = spawnSync(process.execPath, [electronVite, 'build'], {
    cwd: root,
    stdio: 'inherit'
  })
  if (build.status !== 0) {
    process.stderr.write('sdf start: the build failed (see above).\n')
    process.exit(build.status ?? 1)
  }
}

// ELECTRON_RUN_AS_NODE would make Electron behave as plain Node and ignore the app.
const env = { ...process.env }
delete env.ELECTRON_RUN_AS_NODE
const child = spawn(binary, [root], { cwd: root, stdio: 'inherit', env })
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal))
}
child.on('error', (error) => {
  process.stderr.write(`sdf start: could not launch Electron: ${error.message}\n`)
  process.exit(1)
})
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal === null ? 0 : 1))
})
