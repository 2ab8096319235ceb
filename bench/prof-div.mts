import { Workspace, loadAnalysisDataset, discussionDiversity } from '../src/core/index.js'
const ws = await Workspace.open('/tmp/sdf-bench-analysis-10000x15x4')
const ids = (await ws.discussions.ids()).slice(0, 3000)
const ds = await loadAnalysisDataset(ws, { discussionIds: ids })
for (let i = 0; i < 3; i++) { const t = performance.now(); discussionDiversity(ds); console.log('diversity', performance.now() - t) }
