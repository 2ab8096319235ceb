import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  corpusDiscussionId,
  corpusToDiscussions,
  DiscussionSchema,
  importCorpus,
  IdSchema,
  Workspace
} from '../../../src/core/index.js'
import { REPO_ROOT } from '../../helpers/fixtures.js'
import { tempDir } from '../../helpers/tempDir.js'

const fixture = (name: string) => join(REPO_ROOT, 'test', 'fixtures', 'corpus', name)

describe('corpusToDiscussions', () => {
  it('turns each conversation into a valid human discussion, replies pointing at comment indices', async () => {
    const workspace = await Workspace.create(await tempDir())
    const { corpus } = await importCorpus(workspace, fixture('awry.csv'), { name: 'CMV awry' })
    const discussions = corpusToDiscussions(corpus)
    expect(discussions.map((discussion) => discussion.id)).toEqual(['cmv-awry-c1', 'cmv-awry-c2', 'cmv-awry-c3'])
    for (const discussion of discussions) {
      expect(DiscussionSchema.parse(discussion)).toEqual(discussion)
      expect(discussion.conditions).toEqual({ source: 'human', corpus: 'CMV awry' })
      expect(discussion.participants.every((participant) => participant.role === 'user')).toBe(true)
    }
    const first = discussions[0]!
    expect(first.participants.map((participant) => participant.username)).toEqual(['river_otter', 'plainspoken_pat'])
    expect(first.comments.map((comment) => [comment.author, comment.role, comment.reply_to])).toEqual([
      ['river_otter', 'user', null],
      ['plainspoken_pat', 'user', 0],
      ['river_otter', 'user', 1],
      ['plainspoken_pat', 'user', 2]
    ])
    expect(first.comments[2]?.text).toBe(corpus.comments[2]?.text)
    expect(first.extra['corpus']).toMatchObject({ corpus_id: 'cmv-awry', conversation_id: 'c1', message_ids: ['m1', 'm2', 'm3', 'm4'], flagged: [false, false, true, true] })
    // They can be stored and read like any discussion, so annotation and analysis work on them.
    for (const discussion of discussions) await workspace.discussions.put(discussion)
    expect((await workspace.discussions.list()).problems).toEqual([])
  })

  it('names unknown authors and keeps a dangling reply_to out of the reply indices', async () => {
    const workspace = await Workspace.create(await tempDir())
    const { corpus } = await importCorpus(workspace, fixture('threads.jsonl'), {
      name: 'json threads',
      columns: { conversation: 'thread', id: 'id', reply_to: 'parent', author: 'author', text: 'body', flag: 'toxic' }
    })
    const [, second] = corpusToDiscussions(corpus)
    expect(second?.comments.map((comment) => [comment.author, comment.reply_to])).toEqual([
      ['[unknown]', null],
      ['di', 0]
    ])
    const tree = await importCorpus(workspace, fixture('tree.csv'), { name: 'tree' })
    expect(corpusToDiscussions(tree.corpus)[0]?.comments.map((comment) => comment.reply_to)).toEqual([null, 0, 0, 1, null, null])
  })

  it('makes file-safe, distinct ids from any conversation id', () => {
    const ids = ['a/b', 'a:b', '..', 'x'.repeat(300), 'ordinary-id'].map((conversation) => corpusDiscussionId('corpus', conversation))
    for (const id of ids) expect(IdSchema.safeParse(id).success, id).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids[4]).toBe('corpus-ordinary-id')
  })
})
