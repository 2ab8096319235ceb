#!/usr/bin/env node
// `npm run scan:electron`: Doyensec's Electronegativity over the Electron sources (main, preload,
// and the renderer page that carries the CSP), failing on any HIGH-severity finding that is not
// justified in ACCEPTED below (each justification is repeated in docs/security.md).
//
// Why a wrapper and not `npx electronegativity -i src`: its CLI (1.10.3) requires `commander`
// without declaring it, gets this project's commander 14 by hoisting, and dies on
// `commander.version is not a function`. Its scanner (`dist/runner.js`) works when called
// directly, which is also how it answers issues as data rather than a printed table. Its i18n
// module tries to fetch translations over the network (1 s timeout) and says "Could not retrieve
// updated translations" when it cannot; that line is harmless.
//
// The scanned sources are staged together in one temporary folder (with a package.json naming the
// Electron version), because its global checks (navigation limits, permission handler, CSP) look
// for the handler anywhere in what they are given: scanned folder by folder, every folder without
// main's handlers "lacks" them.
//
// Usage: node scripts/scanElectron.mjs [path ...]   (default: src/main src/preload src/renderer/index.html)
//        SDF_SCAN_JSON=report.json to also write every finding as JSON.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const defaultOf = (module) => (typeof module === 'function' ? module : module.default)
const i18n = defaultOf(require('@doyensec/electronegativity/dist/locales/i18n.js'))
const run = defaultOf(require('@doyensec/electronegativity/dist/runner.js'))

/**
 * HIGH findings that were reviewed and do not apply, by check id and file (relative to the repo).
 * Keep this list short and explained; docs/security.md repeats each entry.
 */
const ACCEPTED = [
  // (none yet)
]

const targets = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src/main', 'src/preload', 'src/renderer/index.html']

await i18n()
const stage = await mkdtemp(join(tmpdir(), 'sdf-electronegativity-'))
const electronVersion = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')).devDependencies.electron
await writeFile(join(stage, 'package.json'), JSON.stringify({ name: 'sdf-studio-scan', devDependencies: { electron: electronVersion } }))
for (const target of targets) await cp(resolve(root, target), join(stage, target), { recursive: true })
const findings = []
let errors = []
try {
  const result = await run(
    {
      input: stage,
      output: undefined,
      isSarif: false,
      customScan: [],
      excludeFromScan: [],
      severitySet: undefined,
      confidenceSet: undefined,
      isRelative: false,
      isVerbose: true,
      electronUpgrade: undefined,
      electronVersionOverride: electronVersion,
      parserPlugins: []
    },
    false
  )
  errors = result.errors ?? []
  for (const issue of result.issues) {
    findings.push({
      id: issue.id,
      severity: issue.severity.name,
      confidence: issue.confidence.name,
      file: relative(stage, issue.file.startsWith('/') ? issue.file : join(stage, issue.file)),
      line: issue.location?.line ?? 0,
      manualReview: Boolean(issue.manualReview),
      description: issue.description
    })
  }
} finally {
  await rm(stage, { recursive: true, force: true })
}

const accepted = (finding) => ACCEPTED.some((entry) => entry.id === finding.id && entry.file === finding.file)
const order = { HIGH: 0, MEDIUM: 1, LOW: 2, INFORMATIONAL: 3 }
findings.sort((a, b) => order[a.severity] - order[b.severity] || a.file.localeCompare(b.file) || a.line - b.line)
for (const finding of findings) {
  const note = accepted(finding) ? ' (accepted, see docs/security.md)' : ''
  console.log(`${finding.severity.padEnd(13)} ${finding.confidence.padEnd(9)} ${finding.id.padEnd(40)} ${finding.file}:${finding.line}${note}`)
}
for (const error of errors) console.log(`scan error: ${error.file ?? ''} ${error.message ?? JSON.stringify(error)}`)
if (process.env.SDF_SCAN_JSON) await writeFile(process.env.SDF_SCAN_JSON, JSON.stringify({ findings, errors }, null, 2))

const blocking = findings.filter((finding) => finding.severity === 'HIGH' && !accepted(finding))
const counts = Object.keys(order)
  .map((severity) => [severity, findings.filter((finding) => finding.severity === severity).length])
  .filter(([, count]) => count > 0)
  .map(([severity, count]) => `${count} ${severity}`)
console.log(`\nelectronegativity: ${findings.length} findings (${counts.join(', ') || 'none'}) in ${targets.join(', ')}; ${blocking.length} unaccepted HIGH`)
process.exitCode = blocking.length > 0 ? 1 : 0
