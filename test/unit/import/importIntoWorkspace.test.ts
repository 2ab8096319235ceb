import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importIntoWorkspace, Workspace } from '../../../src/core/index.js'
import { HAVE_SDF_EXAMPLES, SDF_EXAMPLES, SDF_FIXTURES } from '../../helpers/fixtures.js'
import { tempDir } from '../../helpers/tempDir.js'
import { snapshotTree } from '../../helpers/workspaceSnapshot.js'

/** Log entries of the SDF conversation and annotation files under a folder, counted independently of the importer. */
async function countLogEntries(folder: string): Promise<{ comments: number; annotations: number; discussions: number }> {
  const totals = { comments: 0, annotations: 0, discussions: 0 }
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.json')) continue
    const data = JSON.parse(await readFile(join(entry.parentPath, entry.name), 'utf8')) as Record<string, unknown>
    if (!Array.isArray(data) && Array.isArray(data['logs'])) {
      const logs = data['logs'] as unknown[]
      const isAnnotationFile =
        'conv_id' in data ||
        logs.some((log) => typeof log === 'object' && log !== null && String((log as { prompt?: unknown }).prompt).includes('"annotator"'))
      if (isAnnotationFile) totals.annotations += logs.length
      else {
        totals.comments += logs.length
        totals.discussions += 1
      }
    }
  }
  return totals
}

describe('importing SDF files into a workspace', () => {
  it('imports every fixture format and counts every log entry as a comment or an annotation', async () => {
    const workspace = await Workspace.create(await tempDir())
    const report = await importIntoWorkspace(workspace, [SDF_FIXTURES])
    expect(report.errors).toEqual([])
    const expected = await countLogEntries(SDF_FIXTURES)
    expect(report.discussions).toBe(expected.discussions)
    expect(report.comments).toBe(expected.comments)
    expect(report.annotations).toBe(expected.annotations)
    expect(report.personas).toBeGreaterThan(0)
    expect(report.topics).toBeGreaterThan(0)
    expect(report.instructions).toBeGreaterThan(0)
    const summary = await workspace.summary()
    expect(summary.discussions).toBe(expected.discussions)
  })

  it('stores discussions with comments indexed in log order, seeds and empty moderator replies included', async () => {
    const workspace = await Workspace.create(await tempDir())
    await importIntoWorkspace(workspace, [SDF_FIXTURES])
    const { items, problems } = await workspace.discussions.list()
    expect(problems).toEqual([])
    for (const discussion of items) {
      expect(discussion.comments.map((comment) => comment.index)).toEqual(discussion.comments.map((_, i) => i))
      expect(discussion.source?.sha256).toMatch(/^[0-9a-f]{64}$/)
    }
    const roles = new Set(items.flatMap((discussion) => discussion.comments.map((comment) => comment.role)))
    expect(roles).toEqual(new Set(['user', 'moderator', 'seed']))
    const emptyModeratorReplies = items.flatMap((d) => d.comments).filter((c) => c.role === 'moderator' && c.raw_text === '')
    expect(emptyModeratorReplies.length).toBeGreaterThan(0)
  })

  it('links annotations to comment indices, whichever of the two files comes first', async () => {
    const discussionFile = join(SDF_FIXTURES, 'v0', 'discussions_output')
    const annotationFile = join(SDF_FIXTURES, 'v0', 'annotations_output')

    const annotationsFirst = await Workspace.create(await tempDir())
    await importIntoWorkspace(annotationsFirst, [annotationFile])
    const before = await annotationsFirst.summary()
    expect(before.annotations).toBe(0)
    expect(before.unlinked_annotations).toBeGreaterThan(0)
    await importIntoWorkspace(annotationsFirst, [discussionFile])
    const after = await annotationsFirst.summary()
    expect(after.annotations).toBe(before.unlinked_annotations)
    expect(after.unlinked_annotations).toBe(0)

    const discussionsFirst = await Workspace.create(await tempDir())
    await importIntoWorkspace(discussionsFirst, [discussionFile])
    await importIntoWorkspace(discussionsFirst, [annotationFile])
    expect(await discussionsFirst.summary()).toEqual(after)

    for (const id of await discussionsFirst.discussions.ids()) {
      const linked = (await discussionsFirst.annotations.list(id)).annotations
      const other = (await annotationsFirst.annotations.list(id)).annotations
      expect(linked.map((a) => [a.id, a.comment_index])).toEqual(other.map((a) => [a.id, a.comment_index]))
      const discussion = await discussionsFirst.discussions.get(id)
      for (const annotation of linked) {
        expect(annotation.comment_index).not.toBeNull()
        // The alignment agrees with the text the legacy file quoted.
        expect(discussion?.comments[annotation.comment_index!]?.raw_text).toBe(annotation.quoted_text)
      }
    }
  })

  it('adds nothing when the same files are imported again', async () => {
    const workspace = await Workspace.create(await tempDir())
    const first = await importIntoWorkspace(workspace, [SDF_FIXTURES])
    const tree = await snapshotTree(workspace.root)
    const second = await importIntoWorkspace(workspace, [SDF_FIXTURES])
    expect(second).toEqual(first)
    expect(await snapshotTree(workspace.root)).toEqual(tree)
  })

  it.skipIf(!HAVE_SDF_EXAMPLES)('imports the original tool’s real input files without an error', async () => {
    const workspace = await Workspace.create(await tempDir())
    const report = await importIntoWorkspace(workspace, [SDF_EXAMPLES])
    expect(report.errors).toEqual([])
    expect(report.personas).toBeGreaterThan(40)
    expect(report.topics).toBe(3)
    expect(report.instructions).toBe(11)
    const conversationInputs = await workspace.discussionConfigs.list()
    expect(conversationInputs.items).toHaveLength(1)
    expect(conversationInputs.items[0]?.participants).toHaveLength(5)
  })
})

describe('conditions of imported legacy discussions', () => {
  it('take the folder a discussion file sat in as its variant, as SDF’s analyses did', async () => {
    const workspace = await Workspace.create(await tempDir())
    await importIntoWorkspace(workspace, [join(SDF_FIXTURES, 'v0', 'discussions_output')])
    const variants = (await workspace.discussions.list()).items.map((discussion) => discussion.conditions['conv_variant'])
    expect(new Set(variants)).toEqual(new Set(['collective_constitution', 'moderation_game', 'vanilla_no_mod']))
  })
})
