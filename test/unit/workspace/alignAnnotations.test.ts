import { describe, expect, it } from 'vitest'
import { alignAnnotations } from '../../../src/core/workspace/alignAnnotations.js'
import { DiscussionSchema, type Discussion } from '../../../src/core/schema/index.js'

function discussionOf(comments: [author: string, text: string][]): Discussion {
  return DiscussionSchema.parse({
    id: 'conv-1',
    participants: [],
    comments: comments.map(([author, text], index) => ({
      index,
      author,
      role: author === 'moderator' ? 'moderator' : 'user',
      raw_text: text,
      text
    }))
  })
}

const record = (position: number, quoted_text: string | null, quoted_author: string | null = null) => ({
  position,
  quoted_text,
  quoted_author
})

describe('aligning legacy annotation records to comments', () => {
  it('skips the moderator comments an SDF annotator was told to leave out', () => {
    const discussion = discussionOf([
      ['alice', 'first'],
      ['moderator', 'please be civil'],
      ['bob', 'second'],
      ['moderator', '']
    ])
    expect(alignAnnotations(discussion, [record(0, 'first'), record(1, 'second')])).toEqual([0, 2])
  })

  it('resolves identical texts by position, never by a text join', () => {
    const discussion = discussionOf([
      ['alice', 'lol'],
      ['bob', 'lol'],
      ['carol', 'lol']
    ])
    expect(alignAnnotations(discussion, [record(0, 'lol'), record(1, 'lol'), record(2, 'lol')])).toEqual([0, 1, 2])
  })

  it('matches SynDisco ≥2.1 records by author when they quote no text', () => {
    const discussion = discussionOf([
      ['alice', 'a'],
      ['bob', 'b'],
      ['alice', 'c']
    ])
    expect(alignAnnotations(discussion, [record(0, null, 'bob'), record(1, null, 'alice')])).toEqual([1, 2])
  })

  it('leaves a record that matches no remaining comment unlinked', () => {
    const discussion = discussionOf([['alice', 'a']])
    expect(alignAnnotations(discussion, [record(0, 'a'), record(1, 'not in the discussion')])).toEqual([0, null])
  })

  it('trusts an index the source recorded itself, if the comment exists', () => {
    const discussion = discussionOf([
      ['alice', 'a'],
      ['bob', 'b']
    ])
    expect(
      alignAnnotations(discussion, [
        { ...record(0, 'x'), comment_index: 1 },
        { ...record(1, 'x'), comment_index: 7 }
      ])
    ).toEqual([1, null])
  })
})
