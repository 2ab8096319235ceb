import { exportTables, Workspace } from '../src/core/index.js'
const ws = await Workspace.open('/tmp/sdf-bench-small')
for (const format of ['csv', 'csv'] as const) {
  const t = performance.now()
  await exportTables(ws, { format, outFolder: '/tmp/prof-out' })
  console.log(format, performance.now() - t)
}
