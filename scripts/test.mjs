#!/usr/bin/env node
// `npm test`: every check the project has, in one command, ending with one plain summary line
// ("N passed, N failed") that counts each test plus each static check (lint, types, build).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const reportDir = mkdtempSync(join(tmpdir(), 'sdf-test-report-'))
const vitestReport = join(reportDir, 'vitest.json')

const steps = [
  { name: 'lint', command: ['npx', '--no', 'eslint', '.'] },
  { name: 'types', command: ['npm', 'run', '--silent', 'typecheck'] },
  { name: 'build', command: ['npm', 'run', '--silent', 'build'] },
  {
    name: 'vitest',
    command: ['npx', '--no', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`],
    report: vitestReport
  }
]

let passed = 0
let failed = 0
const failures = []
for (const step of steps) {
  process.stdout.write(`\n=== ${step.name}: ${step.command.join(' ')}\n`)
  const result = spawnSync(step.command[0], step.command.slice(1), { stdio: 'inherit' })
  if (step.report) {
    try {
      const report = JSON.parse(readFileSync(step.report, 'utf8'))
      passed += report.numPassedTests
      failed += report.numFailedTests
      // A suite that fails to load has no failed tests but must still fail the run.
      if (result.status !== 0 && report.numFailedTests === 0) {
        failed += 1
        failures.push(`${step.name} (exit ${result.status})`)
      } else if (report.numFailedTests > 0) failures.push(`${step.name} (${report.numFailedTests} tests)`)
    } catch {
      failed += 1
      failures.push(`${step.name} (no report; exit ${result.status})`)
    }
  } else if (result.status === 0) passed += 1
  else {
    failed += 1
    failures.push(`${step.name} (exit ${result.status})`)
  }
}
rmSync(reportDir, { recursive: true, force: true })
process.stdout.write(`\n${failures.length ? `Failed: ${failures.join(', ')}\n` : ''}`)
process.stdout.write(`${passed} passed, ${failed} failed\n`)
process.exit(failed === 0 ? 0 : 1)
