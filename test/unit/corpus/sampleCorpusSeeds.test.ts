import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  countCorpusSeedWindows,
  CorpusSeedSchema,
  parseCorpus,
  sampleCorpusSeeds,
  type Corpus,
  type CorpusComment
} from '../../../src/core/index.js'
import { REPO_ROOT } from '../../helpers/fixtures.js'

async function corpusFrom(name: string): Promise<Corpus> {
  const { columns, comments, report } = parseCorpus(await readFile(join(REPO_ROOT, 'test', 'fixtures', 'corpus', name)), {
    file: name,
    format: 'csv'
  })
  return {
    info: {
      id: name.replace(/\.csv$/, ''),
      name: `Fixture ${name}`,
      imported_at: '2026-01-01T00:00:00.000Z',
      source: { file: name, format: 'csv', sha256: '0'.repeat(64) },
      columns,
      counts: { conversations: report.conversations, comments: report.comments, flagged: report.flagged },
      report
    },
    comments
  }
}

/** The comment each seed comment came from, by its provenance. */
function sourceComments(corpus: Corpus, seed: { provenance: { conversation_id: string; message_ids: string[] } }): CorpusComment[] {
  return seed.provenance.message_ids.map(
    (id) =>
      corpus.comments.find((comment) => comment.conversation_id === seed.provenance.conversation_id && comment.message_id === id) as CorpusComment
  )
}

describe('sampleCorpusSeeds', () => {
  it('is reproducible from its seed and changes with it', async () => {
    const corpus = await corpusFrom('awry.csv')
    const options = { k: 2, count: 5, seed: 42 }
    const first = sampleCorpusSeeds(corpus, options)
    expect(sampleCorpusSeeds(corpus, options)).toEqual(first)
    const others = [1, 2, 3, 4, 5].map((seed) => JSON.stringify(sampleCorpusSeeds(corpus, { ...options, seed })))
    expect(new Set([JSON.stringify(first), ...others]).size).toBeGreaterThan(1)
    for (const seed of first) expect(CorpusSeedSchema.parse(seed)).toEqual(seed)
  })

  it('gives k consecutive comments of one conversation with their provenance, oldest first', async () => {
    const corpus = await corpusFrom('awry.csv')
    for (const seed of sampleCorpusSeeds(corpus, { k: 3, count: 3, seed: 7, truncateTo: null })) {
      const sources = sourceComments(corpus, seed)
      expect(sources).toHaveLength(3)
      expect(seed.comments).toEqual(sources.map((comment) => ({ author: comment.author, text: comment.text })))
      expect(sources[1]?.reply_to).toBe(sources[0]?.message_id)
      expect(sources[2]?.reply_to).toBe(sources[1]?.message_id)
      expect(seed.provenance).toMatchObject({ corpus_id: 'awry', corpus_name: 'Fixture awry.csv', only_flagged: false, truncated_to: null })
    }
  })

  it('spreads seeds over conversations before using a second window of any', async () => {
    const corpus = await corpusFrom('awry.csv')
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const seeds = sampleCorpusSeeds(corpus, { k: 2, count: 3, seed })
      expect(new Set(seeds.map((s) => s.provenance.conversation_id)).size).toBe(3)
    }
  })

  it('with onlyFlagged ends every window at a flagged comment that does not open its conversation', async () => {
    const corpus = await corpusFrom('awry.csv')
    // Flagged: c1/m3, c1/m4, c2/m5 (opens c2: never eligible) and c2/m7.
    expect(countCorpusSeedWindows(corpus, { k: 2, onlyFlagged: true })).toBe(3)
    expect(countCorpusSeedWindows(corpus, { k: 1, onlyFlagged: true })).toBe(3)
    const seeds = sampleCorpusSeeds(corpus, { k: 2, count: 3, onlyFlagged: true, seed: 3 })
    expect(seeds.map((seed) => seed.provenance.message_ids).sort()).toEqual([
      ['m2', 'm3'],
      ['m3', 'm4'],
      ['m6', 'm7']
    ])
    for (const seed of seeds) expect(seed.provenance.only_flagged).toBe(true)
  })

  it('truncates every text to truncateTo characters, 500 by default, without splitting a character', async () => {
    const corpus = await corpusFrom('awry.csv')
    const long = corpus.comments.find((comment) => comment.message_id === 'm4') as CorpusComment
    expect(long.text.length).toBeGreaterThan(500)
    const all = sampleCorpusSeeds(corpus, { k: 2, count: 3, onlyFlagged: true, seed: 0 })
    const withLong = all.find((s) => s.provenance.message_ids.includes('m4'))
    expect(withLong?.provenance.truncated_to).toBe(500)
    expect(withLong?.comments[1]?.text).toBe(long.text.slice(0, 500))
    const short = sampleCorpusSeeds(corpus, { k: 1, count: 9, seed: 0, truncateTo: 10 })
    for (const s of short) expect(Array.from(s.comments[0]?.text ?? '').length).toBeLessThanOrEqual(10)

    const emoji: Corpus = { ...corpus, comments: [{ ...long, conversation_id: 'e', message_id: 'e1', text: 'ab😀😀😀' }] }
    expect(sampleCorpusSeeds(emoji, { k: 1, count: 1, seed: 0, truncateTo: 3 })[0]?.comments[0]?.text).toBe('ab😀')
  })

  it('follows the reply chain, not the file order, and falls back to the file order without a usable reply_to', async () => {
    const corpus = await corpusFrom('tree.csv')
    // File order: a, b, c (replies to a), d (replies to b), e (no reply_to), f (reply_to names nothing).
    const windows = sampleCorpusSeeds(corpus, { k: 3, count: 3, onlyFlagged: true, seed: 9 })
      .map((seed) => seed.provenance.message_ids)
      .sort()
    expect(windows).toEqual([
      ['a', 'b', 'd'],
      ['b', 'd', 'e'],
      ['d', 'e', 'f']
    ])
  })

  it('refuses to ask for more seeds than windows unless reuse is allowed, and says how many there are', async () => {
    const corpus = await corpusFrom('awry.csv')
    expect(() => sampleCorpusSeeds(corpus, { k: 2, count: 4, onlyFlagged: true, seed: 1 })).toThrow(
      /4 seeds were asked for but corpus "awry" has only 3 windows of 2 consecutive comments ending at a flagged comment/
    )
    const reused = sampleCorpusSeeds(corpus, { k: 2, count: 7, onlyFlagged: true, seed: 1, reuse: true })
    expect(reused).toHaveLength(7)
    expect(new Set(reused.slice(0, 3).map((seed) => seed.provenance.message_ids.join()))).toHaveProperty('size', 3)
    expect(() => sampleCorpusSeeds(corpus, { k: 5, count: 1, seed: 1 })).toThrow(/has no windows of 5 consecutive comments/)
  })

  it('refuses onlyFlagged for a corpus without a flag column', async () => {
    const corpus = await corpusFrom('awry.csv')
    const unflagged: Corpus = { ...corpus, info: { ...corpus.info, columns: { ...corpus.info.columns, flag: null } } }
    expect(() => sampleCorpusSeeds(unflagged, { k: 2, count: 1, onlyFlagged: true, seed: 1 })).toThrow(/no flag column.*--flag-column/)
  })

  it('extends the same list when asked for more seeds, never reshuffling its start', async () => {
    const corpus = await corpusFrom('awry.csv')
    const few = sampleCorpusSeeds(corpus, { k: 1, count: 3, seed: 5 })
    const more = sampleCorpusSeeds(corpus, { k: 1, count: 9, seed: 5 })
    expect(more.slice(0, 3)).toEqual(few)
    expect(new Set(more.map((seed) => seed.provenance.message_ids[0] + seed.provenance.conversation_id)).size).toBe(9)
  })
})

describe('sampleCorpusSeeds on arbitrary corpora', () => {
  const comments = fc
    .array(
      fc.record({
        conversation: fc.constantFrom('x', 'y', 'z'),
        replyBack: fc.option(fc.nat(6), { nil: null }),
        flagged: fc.boolean(),
        text: fc.string({ maxLength: 30 })
      }),
      { minLength: 1, maxLength: 40 }
    )
    .map((rows) => {
      const perConversation = new Map<string, string[]>()
      return rows.map((row, index): CorpusComment => {
        const earlier = perConversation.get(row.conversation) ?? []
        const replyTo = row.replyBack === null ? null : (earlier[earlier.length - 1 - row.replyBack] ?? `missing-${index}`)
        const id = `m${index}`
        perConversation.set(row.conversation, [...earlier, id])
        return {
          conversation_id: row.conversation,
          message_id: id,
          reply_to: replyTo,
          author: `u${index % 4}`,
          text: row.text,
          flagged: row.flagged,
          timestamp: null,
          line: index + 2
        }
      })
    })

  it('never crosses conversations, keeps the flag rule, and is reproducible', async () => {
    const base = await corpusFrom('awry.csv')
    fc.assert(
      fc.property(comments, fc.integer({ min: 1, max: 4 }), fc.boolean(), fc.nat(1000), (list, k, onlyFlagged, seed) => {
        const corpus: Corpus = { ...base, comments: list }
        const available = countCorpusSeedWindows(corpus, { k, onlyFlagged })
        if (available === 0) return
        const count = Math.min(available, 5)
        const seeds = sampleCorpusSeeds(corpus, { k, count, onlyFlagged, seed })
        expect(seeds).toHaveLength(count)
        expect(sampleCorpusSeeds(corpus, { k, count, onlyFlagged, seed })).toEqual(seeds)
        for (const s of seeds) {
          const sources = sourceComments(corpus, s)
          expect(sources.every((comment) => comment?.conversation_id === s.provenance.conversation_id)).toBe(true)
          expect(new Set(s.provenance.message_ids).size).toBe(k)
          // Oldest first: each comment comes before the next in the file.
          for (let i = 1; i < sources.length; i += 1) expect((sources[i - 1] as CorpusComment).line).toBeLessThan((sources[i] as CorpusComment).line)
          const last = sources[sources.length - 1] as CorpusComment
          if (onlyFlagged) {
            expect(last.flagged).toBe(true)
            expect(list.find((comment) => comment.conversation_id === last.conversation_id)?.message_id).not.toBe(last.message_id)
          }
        }
        // Distinct windows while there are enough.
        expect(new Set(seeds.map((s) => s.provenance.message_ids.join())).size).toBe(count)
      }),
      { numRuns: 200 }
    )
  })
})
