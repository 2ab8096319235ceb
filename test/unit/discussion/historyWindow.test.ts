import { describe, expect, it } from 'vitest'
import {
  fitHistoryToBudget,
  historyWindow,
  renderSpeakerPrompt,
  seedHistoryEntries,
  type HistoryEntry
} from '../../../src/core/index.js'

const entries: HistoryEntry[] = ['one', 'two', 'three', 'four'].map((text, i) => ({ author: `u${i}`, text }))

describe('the history window', () => {
  it("keeps the last N entries, like SDF's deque(maxlen=N)", () => {
    expect(historyWindow(entries, 2).map((e) => e.text)).toEqual(['three', 'four'])
    expect(historyWindow(entries, 10)).toHaveLength(4)
    expect(historyWindow(entries, 0)).toEqual([])
    expect(() => historyWindow(entries, -1)).toThrow(/whole size >= 0/)
  })

  it('opens with seed comments by a participant or an outside author, unknown authors as FirstUser', () => {
    expect(
      seedHistoryEntries([
        { author: null, text: 'Topic post' },
        { author: 'reddit_user_9', text: 'A real human reply' }
      ])
    ).toEqual([
      { author: 'FirstUser', text: 'Topic post' },
      { author: 'reddit_user_9', text: 'A real human reply' }
    ])
  })
})

describe('token budgeting', () => {
  // One token per word: enough to see which comments go.
  const countTokens = (text: string): number => text.split(/\s+/).filter(Boolean).length
  const render = (history: readonly HistoryEntry[]): string =>
    renderSpeakerPrompt(
      { kind: 'modern', history: 'transcript' },
      { name: 'Ann', role: 'user', context: '', instructions: 'Be brief.', history }
    )
      .messages.map((message) => message.content)
      .join('\n')

  it('drops the oldest comments until the prompt fits', () => {
    const full = countTokens(render(entries))
    const fitted = fitHistoryToBudget(entries, { budget: full - 2, countTokens, render })
    expect(fitted.dropped).toBe(1)
    expect(fitted.history.map((e) => e.text)).toEqual(['two', 'three', 'four'])
    expect(fitted.tokens).toBeLessThanOrEqual(full - 2)
    expect(fitted.fits).toBe(true)
  })

  it('keeps everything when it fits and says so when nothing does', () => {
    expect(fitHistoryToBudget(entries, { budget: 10_000, countTokens, render }).dropped).toBe(0)
    const hopeless = fitHistoryToBudget(entries, { budget: 3, countTokens, render })
    expect(hopeless).toMatchObject({ history: [], dropped: 4, fits: false })
  })
})
