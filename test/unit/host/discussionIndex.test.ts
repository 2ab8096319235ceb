import { appendFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DiscussionIndex, latestPerAnnotator } from '../../../src/core/host/discussionIndex.js'
import { AnnotationSchema } from '../../../src/core/index.js'
import { emptyWorkspace } from '../../helpers/emptyWorkspace.js'
import { tempDir } from '../../helpers/tempDir.js'
import { fillResultsWorkspace, planAnnotations, planDiscussion, PLANS } from '../server/resultsWorkspace.js'

const open: DiscussionIndex[] = []

afterEach(() => {
  for (const index of open.splice(0)) index.close()
})

async function indexedWorkspace() {
  const workspace = await emptyWorkspace(join(await tempDir(), 'ws'))
  await fillResultsWorkspace(workspace)
  const index = new DiscussionIndex(workspace)
  open.push(index)
  return { workspace, index }
}

describe('the discussion index behind search and the analyses', () => {
  it('answers the same snapshot while nothing changes, without reading files again', async () => {
    const { index } = await indexedWorkspace()
    const first = await index.snapshot()
    expect(first.discussions.map((d) => d.analysis.id)).toEqual(['d-none-1', 'd-none-2', 'd-rules-1', 'd-rules-2'])
    expect(await index.snapshot()).toBe(first)
    const [a, b] = await Promise.all([index.snapshot(), index.snapshot()])
    expect(a).toBe(b)
  })

  it('re-reads only what changed: a new journal line, a new discussion, a deleted one', async () => {
    const { workspace, index } = await indexedWorkspace()
    const before = await index.snapshot()
    const untouched = before.discussions.find((d) => d.analysis.id === 'd-none-1')!
    const label = AnnotationSchema.parse({
      id: 'extra',
      discussion_id: 'd-rules-1',
      comment_index: 1,
      position: 0,
      annotator: { name: 'coder', kind: 'human' },
      values: { toxicity: 2 },
      raw_text: '',
      parsed: true
    })
    await appendFile(workspace.annotations.linkedPath('d-rules-1'), `${JSON.stringify(label)}\n`)
    const newcomer = planDiscussion({ ...PLANS[0]!, id: 'd-new' })
    await writeFile(workspace.discussions.pathOf('d-new'), JSON.stringify(newcomer))
    await rm(workspace.discussions.pathOf('d-rules-2'))
    const after = await index.snapshot()
    expect(after.version).toBeGreaterThan(before.version)
    expect(after.discussions.map((d) => d.analysis.id)).toEqual(['d-new', 'd-none-1', 'd-none-2', 'd-rules-1'])
    expect(after.discussions.find((d) => d.analysis.id === 'd-none-1')).toBe(untouched)
    expect(after.discussions.find((d) => d.analysis.id === 'd-rules-1')!.analysis.comments[1]!.ratings.map((r) => r.annotator)).toEqual([
      'llm-a',
      'llm-b',
      'coder'
    ])
  })

  it('still sees changes when it cannot watch (checking each file instead)', async () => {
    const { workspace, index } = await indexedWorkspace()
    index.close()
    const before = await index.snapshot()
    await writeFile(workspace.discussions.pathOf('d-none-1'), '{ broken')
    const after = await index.snapshot()
    expect(after.discussions.map((d) => d.analysis.id)).not.toContain('d-none-1')
    expect(after.problems).toEqual([{ file: workspace.discussions.pathOf('d-none-1'), message: expect.stringContaining('not valid JSON') }])
    expect(after.version).toBeGreaterThan(before.version)
  })

  it('keeps one label per annotator and comment: the latest', () => {
    const discussion = planDiscussion(PLANS[0]!)
    const [first, ...rest] = planAnnotations(discussion)
    const corrected = { ...first!, id: 'corrected', values: { toxicity: 5 } }
    const kept = latestPerAnnotator([first!, ...rest, corrected])
    expect(kept).toHaveLength(rest.length + 1)
    expect(kept.at(-1)).toBe(corrected)
  })
})
