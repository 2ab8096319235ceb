import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CorpusImportReportSchema, listCorpora, loadCorpus, Workspace } from '../../../src/core/index.js'
import { REPO_ROOT } from '../../helpers/fixtures.js'
import { runSdf } from '../../helpers/runCli.js'
import { tempDir } from '../../helpers/tempDir.js'

const fixture = (name: string) => join(REPO_ROOT, 'test', 'fixtures', 'corpus', name)

describe('sdf import-corpus', () => {
  it('imports a Conversations Gone Awry CSV with the default columns and prints a report', async () => {
    const root = join(await tempDir(), 'ws')
    const run = await runSdf(['import-corpus', fixture('messy.csv'), '--name', 'CMV awry', '--workspace', root])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('Imported corpus "CMV awry" (id cmv-awry)')
    expect(run.stdout).toContain('9 rows read')
    expect(run.stdout).toContain('6 comments in 2 conversations (3 flagged)')
    expect(run.stdout).toContain('1 empty row passed over')
    expect(run.stdout).toMatch(/2 rows rejected:\n {4}line 9: duplicate message id "m2"/)
    expect(run.stdout).toMatch(/not valid UTF-8/)
    const workspace = await Workspace.open(root)
    expect((await loadCorpus(workspace, 'cmv-awry')).comments).toHaveLength(6)
    // A workspace the command created gets the starter library like any other.
    expect(await workspace.personas.ids()).toContain('example-persona-grumpy-gus')
  })

  it('takes other column names by flag, prints JSON, and can store the conversations as discussions', async () => {
    const root = join(await tempDir(), 'ws')
    const run = await runSdf([
      'import-corpus',
      fixture('threads.jsonl'),
      '--name',
      'json threads',
      '--workspace',
      root,
      '--conversation-column',
      'thread',
      '--id-column',
      'id',
      '--reply-to-column',
      'parent',
      '--author-column',
      'author',
      '--text-column',
      'body',
      '--flag-column',
      'toxic',
      '--discussions',
      '--json'
    ])
    expect(run.code).toBe(0)
    const output = JSON.parse(run.stdout) as { id: string; name: string; discussions: number; report: unknown }
    expect(output).toMatchObject({ id: 'json-threads', name: 'json threads', discussions: 2 })
    expect(CorpusImportReportSchema.parse(output.report)).toMatchObject({ format: 'jsonl', comments: 4, rejected_count: 3 })
    const workspace = await Workspace.open(root)
    expect(await workspace.discussions.ids()).toEqual(['json-threads-101', 'json-threads-102'])
  })

  it('names a missing column and the columns found, and exits 1', async () => {
    const root = join(await tempDir(), 'ws')
    const run = await runSdf(['import-corpus', fixture('missing-column.csv'), '--name', 'x', '--workspace', root])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/sdf: error: .*no column "user" \(author; choose another with --author-column\); columns found: "conv_id", "message_id", "reply_to", "author", "text"/)
    expect((await listCorpora(await Workspace.open(root))).items).toEqual([])
  })

  it('with --strict exits 1 when a row was rejected, after storing the rest; --no-*-column drops a column', async () => {
    const root = join(await tempDir(), 'ws')
    const run = await runSdf([
      'import-corpus',
      fixture('messy.csv'),
      '--name',
      'messy',
      '--workspace',
      root,
      '--strict',
      '--no-flag-column',
      '--no-reply-to-column'
    ])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/2 rows rejected \(--strict\)/)
    const corpus = await loadCorpus(await Workspace.open(root), 'messy')
    expect(corpus.info.columns).toMatchObject({ flag: null, reply_to: null })
    expect(corpus.comments.every((comment) => comment.flagged === null && comment.reply_to === null)).toBe(true)
  })
})
