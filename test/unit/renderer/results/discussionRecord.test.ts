import { describe, expect, it } from 'vitest'
import { conditionKeys, filterRows, parseAttribute, rowFromRecord, type DiscussionRow } from '../../../../src/renderer/src/results/discussionRecord.js'

const record = {
  id: 'd1',
  topic_id: 'pizza',
  conditions: { moderator: 'rules' },
  participants: [
    { username: 'Ann', role: 'user', persona: { username: 'Ann', sex: 'female', extra_attributes: { political_leaning: 'left' } }, persona_origin: 'structured' },
    { username: 'Mod', role: 'moderator', persona: { username: 'Mod' }, persona_origin: 'structured' }
  ],
  comments: [
    { index: 0, author: 'Ann', role: 'user', raw_text: 'Pineapple is fine.', text: 'Pineapple is fine.', model: 'tiny.gguf' },
    { index: 1, author: 'Mod', role: 'moderator', raw_text: 'Be kind.', text: 'Be kind.', model: 'tiny.gguf' }
  ]
}

describe('transcript rows from discussion records', () => {
  it('summarises a record: title, condition, model, participants and persona attributes', () => {
    const row = rowFromRecord(record)
    expect(row).toMatchObject({ id: 'd1', title: 'pizza', conditions: { moderator: 'rules' }, model: 'tiny.gguf', commentCount: 2, participants: ['Ann', 'Mod'] })
    expect(row?.personaAttributes).toContain('political_leaning=left')
    expect(row?.personaAttributes).toContain('sex=female')
  })

  it('answers null for a record that is not a discussion', () => {
    expect(rowFromRecord({ id: 'x' })).toBeNull()
  })

  it('filters by text, condition, model and persona attribute', () => {
    const a = rowFromRecord(record) as DiscussionRow
    const b: DiscussionRow = { ...a, id: 'd2', conditions: { moderator: 'none' }, haystack: 'cats', personaAttributes: ['sex=male'] }
    expect(filterRows([a, b], { text: 'PINEAPPLE' }).map((row) => row.id)).toEqual(['d1'])
    expect(filterRows([a, b], { conditions: { moderator: 'none' } }).map((row) => row.id)).toEqual(['d2'])
    expect(filterRows([a, b], { conditions: { moderator: '' } })).toHaveLength(2)
    expect(filterRows([a, b], { personaAttribute: 'Sex = Female' }).map((row) => row.id)).toEqual(['d1'])
    expect(filterRows([a, b], { model: 'other.gguf' })).toEqual([])
  })

  it('filters by a label range and disagreement when rows carry them', () => {
    const a = { ...(rowFromRecord(record) as DiscussionRow), labelMeans: { toxicity: 2 }, disagreement: 0.5 }
    const b = { ...a, id: 'd2', labelMeans: { toxicity: 4 }, disagreement: null }
    expect(filterRows([a, b], { label: { name: 'toxicity', min: 3 } }).map((row) => row.id)).toEqual(['d2'])
    expect(filterRows([a, b], { minDisagreement: 0.1 }).map((row) => row.id)).toEqual(['d1'])
  })

  it('lists the condition keys with their values', () => {
    const a = rowFromRecord(record) as DiscussionRow
    expect(conditionKeys([a, { ...a, conditions: { moderator: 'none', model: 'x' } }])).toEqual([
      { key: 'model', values: ['x'] },
      { key: 'moderator', values: ['none', 'rules'] }
    ])
  })

  it('reads key=value attributes', () => {
    expect(parseAttribute(' sex = female ')).toEqual({ key: 'sex', value: 'female' })
    expect(parseAttribute('female')).toBeNull()
    expect(parseAttribute('=x')).toBeNull()
  })
})
