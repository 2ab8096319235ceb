import { spawn } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importIntoWorkspace, Workspace } from '../../../src/core/index.js'
import { REPO_ROOT, SDF_FIXTURES } from '../../helpers/fixtures.js'
import { runSdf } from '../../helpers/runCli.js'
import { tempDir } from '../../helpers/tempDir.js'
import { tinyModelPath } from '../../helpers/testModel.js'

const ANNOTATOR = 'example-annotator-toxicity'

async function journalLines(root: string): Promise<number> {
  const folder = join(root, 'annotations')
  let lines = 0
  for (const name of await readdir(folder)) {
    if (!name.endsWith('.jsonl')) continue
    lines += (await readFile(join(folder, name), 'utf8')).split('\n').filter((line) => line.trim() !== '').length
  }
  return lines
}

describe('an annotation job', () => {
  it('killed with SIGKILL mid-job, then run again, annotates every comment exactly once', async () => {
    const workspace = await Workspace.create(join(await tempDir(), 'ws'))
    await importIntoWorkspace(workspace, [join(SDF_FIXTURES, 'v0', 'discussions_output')])
    const args = [
      'annotate', '--workspace', workspace.root, '--annotator', ANNOTATOR,
      '--model', await tinyModelPath(), '--threads', '1', '--gpu', 'cpu', '--context-size', '1024',
      '--concurrency', '2', '--max-tokens', '24'
    ]

    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'sdf'), ...args], { cwd: REPO_ROOT, stdio: 'ignore' })
    const exited = new Promise((resolve) => child.once('exit', resolve))
    const deadline = Date.now() + 60_000
    while ((await journalLines(workspace.root).catch(() => 0)) < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    child.kill('SIGKILL')
    await exited
    const beforeResume = await journalLines(workspace.root)
    expect(beforeResume).toBeGreaterThanOrEqual(2)

    const again = await runSdf(args)
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toMatch(/already there/)

    const spec = await workspace.annotators.get(ANNOTATOR)
    for (const discussion of (await workspace.discussions.list()).items) {
      const annotations = (await workspace.annotations.list(discussion.id)).annotations.filter(
        (annotation) => annotation.annotator.spec_id === spec?.id
      )
      const expected = discussion.comments.filter((comment) => comment.role !== 'moderator').map((comment) => comment.index)
      expect(annotations.map((annotation) => annotation.comment_index).sort((a, b) => a! - b!)).toEqual(expected)
      expect(new Set(annotations.map((annotation) => annotation.id)).size).toBe(annotations.length)
      expect(annotations.every((annotation) => annotation.parsed)).toBe(true)
    }

    // A third run finds nothing left to do.
    const third = await runSdf(args)
    expect(third.stdout).toMatch(/: 0 new annotations/)
  }, 180_000)
})
