import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Workspace } from '../../../src/core/index.js'
import { emptyWorkspace } from '../../helpers/emptyWorkspace.js'
import { runSdf } from '../../helpers/runCli.js'
import { tempDir } from '../../helpers/tempDir.js'

async function studyWithOneDiscussion(): Promise<string> {
  const root = join(await tempDir(), 'ws')
  const workspace = await emptyWorkspace(root)
  await workspace.discussions.put({
    id: 'd1',
    participants: [],
    comments: [0, 1, 2].map((index) => ({ index, author: 'a', role: 'user', raw_text: `c${index}`, text: `c${index}` }))
  })
  await workspace.annotators.put({
    id: 'tox',
    name: 'Toxicity',
    instructions: 'Rate.',
    labels: [{ name: 'toxicity', type: 'integer', min: 1, max: 5 }]
  })
  return root
}

describe('sdf import-labels', () => {
  it('imports the good rows, lists the bad ones with their line and reason, and prints JSON with --json', async () => {
    const root = await studyWithOneDiscussion()
    const file = join(await tempDir(), 'coders.csv')
    await writeFile(file, 'discussion_id,comment_index,annotator,toxicity\nd1,0,ana,3\nd1,1,ana,9\nd9,0,ana,2\nd1,2,ben,1\n')
    const run = await runSdf(['import-labels', file, '--workspace', root, '--annotator-spec', 'tox', '--json'])
    expect(run.code).toBe(0)
    const report = JSON.parse(run.stdout)
    expect(report).toMatchObject({ file: 'coders.csv', annotator_spec_id: 'tox', rows_read: 4, imported: 2, rejected_count: 2 })
    expect(report.rejected).toEqual([
      { line: 3, reason: 'toxicity "9" is outside 1–5' },
      { line: 4, reason: expect.stringMatching(/discussion "d9" is not in the workspace/) }
    ])
    const workspace = await Workspace.open(root)
    const stored = (await workspace.annotations.list('d1')).annotations
    expect(stored.map((annotation) => [annotation.annotator.name, annotation.annotator.kind, annotation.values['toxicity']])).toEqual([
      ['ana', 'human', 3],
      ['ben', 'human', 1]
    ])

    const again = await runSdf(['import-labels', file, '--workspace', root, '--annotator-spec', 'tox', '--strict'])
    expect(again.code).toBe(1)
    expect(again.stdout).toMatch(/Imported 0 human annotations from coders\.csv/)
    expect(again.stdout).toMatch(/2 rows already in the workspace, unchanged/)
    expect(again.stdout).toMatch(/line 3: toxicity "9" is outside 1–5/)
    expect(again.stderr).toMatch(/2 rows rejected \(--strict\)/)
  }, 60_000)

  it('says what is missing when the file lacks the key columns, and when the file does not exist', async () => {
    const root = await studyWithOneDiscussion()
    const file = join(await tempDir(), 'bad.csv')
    await writeFile(file, 'comment,toxicity\n0,3\n')
    const run = await runSdf(['import-labels', file, '--workspace', root])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/bad\.csv lacks the columns "annotator" and "discussion_id" and "comment_index"/)
    const missing = await runSdf(['import-labels', join(root, 'nope.csv'), '--workspace', root])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/nope\.csv: no such file/)
  }, 60_000)

  it('explains its columns in --help', async () => {
    const help = await runSdf(['import-labels', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/Usage: sdf import-labels \[options\] <file>/)
    expect(help.stdout).toMatch(/comment_id\s+<discussion_id>:<comment_index>/)
    expect(help.stdout).toMatch(/--annotator-spec <id>/)
  }, 60_000)
})
