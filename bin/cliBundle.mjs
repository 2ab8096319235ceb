// The CLI as plain JavaScript, bundled from src/ by esbuild (tsx's own compiler) and cached under
// node_modules/.cache/sdf-studio/. Importing ~200 TypeScript modules through tsx's loader hooks
// cost about a second at every start; the bundle starts in a fifth of that. The cache is used
// while every source file it was built from has the size and modification time it had then (a
// file new to the import graph can only come in through an edited one); otherwise it is rebuilt
// (~0.5 s). Anything going wrong here returns undefined, and bin/sdf runs the sources through tsx.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const CACHE = join(ROOT, 'node_modules', '.cache', 'sdf-studio')
const CURRENT = join(CACHE, 'current.json')
/** Entries, by output name: the CLI, and the export worker thread it starts (found beside it). */
const ENTRIES = { cli: 'src/cli/main.ts', exportWorker: 'src/core/export/exportWorker.ts' }
/** Builds older than this that are no longer current are removed (a running process may still use a recent one). */
const STALE_BUILD_MS = 24 * 3600 * 1000

/** The URL of the bundled CLI module, building it first if the sources changed; undefined if it cannot be had. */
export async function bundledCli() {
  try {
    const current = readCurrent()
    if (current && isFresh(current)) return pathToFileURL(join(CACHE, current.build, 'cli.js')).href
    return await build()
  } catch {
    return undefined
  }
}

function readCurrent() {
  try {
    return JSON.parse(readFileSync(CURRENT, 'utf8'))
  } catch {
    return undefined
  }
}

function isFresh(current) {
  if (current.node !== process.version || !Array.isArray(current.inputs)) return false
  return current.inputs.every(([file, size, mtime]) => {
    try {
      const stat = statSync(join(ROOT, file))
      return stat.size === size && stat.mtimeMs === mtime
    } catch {
      return false
    }
  })
}

async function build() {
  const esbuild = createRequire(createRequire(join(ROOT, 'package.json')).resolve('tsx/package.json'))('esbuild')
  const name = `build-${Date.now()}-${process.pid}`
  const folder = join(CACHE, name)
  mkdirSync(folder, { recursive: true })
  // Its own package.json, so Node reads the .js files as ES modules wherever the cache is.
  writeFileSync(join(folder, 'package.json'), '{"type":"module"}\n')
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: folder,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node}`,
    // Dependencies load from node_modules as they do from the sources (native modules among them).
    packages: 'external',
    // Bundled CommonJS-style code may call require(): give the ES module one.
    banner: { js: "import { createRequire as __sdfCreateRequire } from 'node:module'; const require = __sdfCreateRequire(import.meta.url);" },
    metafile: true,
    logLevel: 'silent'
  })
  const inputs = Object.keys(result.metafile.inputs).map((input) => {
    const file = relative(ROOT, join(ROOT, input))
    const stat = statSync(join(ROOT, file))
    return [file, stat.size, stat.mtimeMs]
  })
  const temporary = `${CURRENT}.${process.pid}.tmp`
  writeFileSync(temporary, JSON.stringify({ build: name, node: process.version, inputs}))
  renameSync(temporary, CURRENT)
  removeOldBuilds(name)
  return pathToFileURL(join(folder, 'cli.js')).href
}

function removeOldBuilds(keep) {
  for (const entry of readdirSync(CACHE)) {
    if (!entry.startsWith('build-') || entry === keep) continue
    const path = join(CACHE, entry)
    if (Date.now() - statSync(path).mtimeMs > STALE_BUILD_MS) rmSync(path, { recursive: true, force: true })
  }
}
