import { describe, expect, it } from 'vitest'
import {
  AnnotationSchema,
  buildAnalysisDataset,
  commentLengths,
  CommentLengthResultSchema,
  discussionDiversity,
  DiscussionSchema,
  DiversityResultSchema,
  labelByGroup,
  labelByTurn,
  LabelByTurnResultSchema,
  moderatorInterventions,
  ModeratorInterventionResultSchema,
  participationRate,
  ParticipationResultSchema,
  trollEffect,
  TrollEffectResultSchema,
  welchTTest,
  type Annotation,
  type Discussion
} from '../../../src/core/analysis/../index.js'

type Spoken = [author: string, role: 'user' | 'moderator' | 'seed', text: string, toxicity?: number | number[]]

function discussion(id: string, conditions: Record<string, string>, comments: Spoken[], trolls: string[] = []): {
  discussion: Discussion
  annotations: Annotation[]
} {
  const authors = [...new Set(comments.filter(([, role]) => role !== 'seed').map(([author]) => author))]
  const parsed = DiscussionSchema.parse({
    id,
    conditions,
    moderator: authors.includes('moderator') ? 'moderator' : null,
    participants: authors.map((username) => ({
      username,
      role: username === 'moderator' ? 'moderator' : 'user',
      persona: { username, special_instructions: trolls.includes(username) ? 'You are an online troll.' : '' },
      persona_origin: 'structured'
    })),
    comments: comments.map(([author, role, text], index) => ({
      index,
      author,
      role,
      raw_text: text,
      text,
      model: role === 'seed' ? 'hardcoded' : role === 'moderator' ? 'mod-model' : 'user-model'
    }))
  })
  const annotations = comments.flatMap(([, , , toxicity], index) =>
    (toxicity === undefined ? [] : Array.isArray(toxicity) ? toxicity : [toxicity]).map((value, annotator) =>
      AnnotationSchema.parse({
        id: `${id}-${index}-${annotator}`,
        discussion_id: id,
        comment_index: index,
        position: index,
        annotator: { name: `annotator-${annotator}`, kind: 'llm' },
        values: { toxicity: value },
        raw_text: `Toxicity=${value}`,
        parsed: true
      })
    )
  )
  return { discussion: parsed, annotations }
}

// d1: a troll speaks; d2 and d3: no troll speaks (d3's troll stays silent).
const d1 = discussion(
  'd1',
  { strategy: 'rules' },
  [
    ['Topic', 'seed', 'Pineapple on pizza should be banned.', 5],
    ['alice', 'user', 'I like it @bob', [2, 4]],
    ['moderator', 'moderator', '""'],
    ['troll', 'user', 'You are all idiots', 5],
    ['bob', 'user', 'No need for insults', 4],
    ['moderator', 'moderator', 'Please stay civil.', 1],
    ['alice', 'user', 'Agreed, stay civil', 2]
  ],
  ['troll']
)
const d2 = discussion('d2', { strategy: 'none' }, [
  ['alice', 'user', 'Pizza is good', 1],
  ['bob', 'user', '', undefined],
  ['alice', 'user', 'Pizza is very good', 2]
])
const d3 = discussion(
  'd3',
  { strategy: 'none' },
  [
    ['troll', 'user', '""'],
    ['carol', 'user', 'Parks are nice', 1],
    ['dave', 'user', 'Parks are nice and green', 3]
  ],
  ['troll']
)
const dataset = buildAnalysisDataset([d1, d2, d3])

describe('label by turn', () => {
  it('averages annotators per comment, then comments per turn and group', () => {
    const result = LabelByTurnResultSchema.parse(labelByTurn(dataset, { label: 'toxicity', groupBy: { by: 'condition', key: 'strategy' } }))
    // index 1: d1 alice (2+4)/2 = 3 [rules]; d2 bob is silent (no value); d3 carol 1 [none]
    expect(result.rows.find((row) => row.group === 'rules' && row.x === 1)).toMatchObject({ mean: 3, n: 1, ci_low: null })
    expect(result.rows.find((row) => row.group === 'none' && row.x === 2)).toMatchObject({ mean: 2.5, n: 2 })
    // seeds are left out by default
    expect(result.rows.some((row) => row.x === 0 && row.group === 'rules')).toBe(false)
  })

  it('counts user turns when asked, which leaves moderators out', () => {
    const result = labelByTurn(dataset, { label: 'toxicity', x: 'user_turn' })
    // user turn 3: d1 bob 4, d2 alice 2, d3 dave 3 → mean 3 with a t-interval
    const third = result.rows.find((row) => row.x === 3)!
    expect(third).toMatchObject({ group: 'all', mean: 3, n: 3, sd: 1 })
    expect(third.ci_low).toBeCloseTo(3 - 4.302652729749462 / Math.sqrt(3), 9)
  })

  it('groups by role and keeps only the named annotators', () => {
    const result = labelByTurn(dataset, { label: 'toxicity', groupBy: { by: 'role' }, annotators: ['annotator-1'] })
    expect(result.rows).toEqual([expect.objectContaining({ x: 1, group: 'user', mean: 4, n: 1 })])
  })
})

describe('label by group', () => {
  it('gives means with CIs and the ANOVA between groups', () => {
    const result = labelByGroup(dataset, { label: 'toxicity', groupBy: { by: 'role' } })
    expect(result.rows.map((row) => [row.group, row.n])).toEqual([
      ['moderator', 1],
      ['user', 8]
    ])
    expect(result.comparison?.omnibus.test).toBe('anova')
    expect(labelByGroup(dataset, { label: 'toxicity', groupBy: { by: 'none' } }).comparison).toBeNull()
  })
})

describe('troll effect', () => {
  it('compares non-troll user comments in discussions with and without a speaking troll', () => {
    const result = TrollEffectResultSchema.parse(trollEffect(dataset, { label: 'toxicity' }))
    expect(result.discussions_with_trolls).toBe(1)
    expect(result.discussions_without_trolls).toBe(2)
    // with: alice 3, bob 4, alice 2; without: d2 1, 2; d3 1, 3
    const withTrolls = [3, 4, 2]
    const without = [1, 2, 1, 3]
    expect(result.by_discussion.groups.map((group) => [group.group, group.n, group.mean])).toEqual([
      ['with trolls', 3, 3],
      ['without trolls', 4, 1.75]
    ])
    expect(result.by_discussion.test.t).toBeCloseTo(welchTTest(withTrolls, without).t!, 12)
    expect(result.by_discussion.test.p).toBeCloseTo(welchTTest(withTrolls, without).p!, 12)
    // k = 1: only bob (right after the troll) is "after"; the silent moderator turn does not count as a comment
    expect(result.after_troll.groups.map((group) => [group.group, group.n, group.mean])).toEqual([
      ['right after a troll', 1, 4],
      ['otherwise', 2, 2.5]
    ])
  })

  it('takes any predicate and any window', () => {
    const result = trollEffect(dataset, { label: 'toxicity', isTroll: (persona) => persona.username === 'bob', k: 2 })
    // bob speaks in d1 only (silent in d2); after bob in d1: moderator, alice(2) → alice within 2
    expect(result.discussions_with_trolls).toBe(1)
    expect(result.after_troll.groups.find((group) => group.group === 'right after a troll')).toMatchObject({ n: 1, mean: 2 })
  })
})

describe('moderation and participation', () => {
  it('measures the moderator intervention rate per discussion and through time', () => {
    const result = ModeratorInterventionResultSchema.parse(moderatorInterventions(dataset, { groupBy: { by: 'model' } }))
    expect(result.discussions).toEqual([
      { discussion_id: 'd1', group: 'mod-model', moderator_turns: 2, interventions: 1, rate: 0.5 }
    ])
    expect(result.over_time.map((row) => [row.x, row.mean])).toEqual([
      [1, 0],
      [2, 1]
    ])
  })

  it('measures participation as the share of user turns that were not silent', () => {
    const result = ParticipationResultSchema.parse(participationRate(dataset, { groupBy: { by: 'condition', key: 'strategy' } }))
    expect(result.discussions.map((row) => [row.discussion_id, row.group, row.user_turns, row.comments])).toEqual([
      ['d1', 'rules', 4, 4],
      ['d2', 'none', 3, 2],
      ['d3', 'none', 3, 2]
    ])
    expect(result.rows.find((row) => row.group === 'none')).toMatchObject({ mean: 2 / 3, n: 2 })
    expect(result.comparison?.groups).toHaveLength(2)
  })
})

describe('comment length and diversity', () => {
  it('counts words, clips them and bins them per group', () => {
    const result = CommentLengthResultSchema.parse(
      commentLengths(dataset, { groupBy: { by: 'role' }, clip: 4, binWidth: 2 })
    )
    // moderator: "Please stay civil." = 3 words
    expect(result.rows.find((row) => row.group === 'moderator')).toMatchObject({ mean: 3, n: 1 })
    // user lengths 4, 4, 4, 3 (d1), 3, 4 (d2), 3, 5 → 4 (d3); the last bin holds the clip value
    const users = result.histogram.filter((bin) => bin.group === 'user')
    expect(users.map((bin) => [bin.bin_start, bin.bin_end, bin.count])).toEqual([
      [0, 2, 0],
      [2, 4, 8]
    ])
    expect(result.rows.find((row) => row.group === 'user')).toMatchObject({ mean: 29 / 8, n: 8 })
    expect(users.reduce((sum, bin) => sum + bin.density * 2, 0)).toBeCloseTo(1, 12)
  })

  it('is 1 − mean pairwise ROUGE-L per discussion, mentions removed', () => {
    const result = DiversityResultSchema.parse(discussionDiversity(dataset, { groupBy: { by: 'condition', key: 'strategy' } }))
    const d2Row = result.discussions.find((row) => row.discussion_id === 'd2')!
    // "pizza is good" vs "pizza is very good": LCS 3, F1 = 6/7
    expect(d2Row).toMatchObject({ comments: 2, pairs: 1 })
    expect(d2Row.diversity).toBeCloseTo(1 - 6 / 7, 12)
    const d3Row = result.discussions.find((row) => row.discussion_id === 'd3')!
    // "parks are nice" vs "parks are nice and green": F1 = 6/8
    expect(d3Row.diversity).toBeCloseTo(0.25, 12)
    expect(result.rows.find((row) => row.group === 'none')).toMatchObject({ n: 2, mean: expect.closeTo((1 / 7 + 0.25) / 2, 12) })
  })
})
