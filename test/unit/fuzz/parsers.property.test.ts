import fc from 'fast-check'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  CorpusError,
  JournalRecordSchema,
  makeTestModel,
  ModelFileError,
  parseCorpus,
  readJsonl,
  readModelFile,
  readRunJournal
} from '../../../src/core/index.js'
import { parseSseStream } from '../../../src/core/llm/openai/parseSseStream.js'
import { tempDir } from '../../helpers/tempDir.js'

// Parsers not covered by test/unit/formats/properties.test.ts and test/unit/import/importProperties:
// the run journal, GGUF headers, corpus files and the OpenAI server-sent-event stream. Each gets
// arbitrary or mutated bytes and must answer with records and reported problems, or its own typed
// error; never another exception, never a hang.

const RUNS = Number(process.env.SDF_FUZZ_RUNS ?? 150)

describe('parsers under arbitrary bytes', () => {
  it(`the run journal reader keeps every valid record, reports the rest by line, and never throws (${RUNS} runs)`, async () => {
    const dir = await tempDir('sdf-fuzz-journal-')
    const valid = { type: 'discussion-cancelled', discussion_id: 'd-1', at: '2025-01-01T00:00:00.000Z' }
    const line = fc.oneof(
      fc.constant(JSON.stringify(valid)),
      fc.json(),
      fc.string({ maxLength: 80 }),
      fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes).toString('latin1'))
    )
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 12 }), fc.boolean(), async (lines, finalNewline) => {
        const path = join(dir, 'journal.jsonl')
        const text = lines.map((each) => each.replace(/\n/g, ' ')).join('\n') + (finalNewline && lines.length > 0 ? '\n' : '')
        await writeFile(path, text)
        const contents = await readJsonl(path, JournalRecordSchema)
        const expected = text
          .split('\n')
          .filter((each) => {
            try {
              return JournalRecordSchema.safeParse(JSON.parse(each)).success
            } catch {
              return false
            }
          }).length
        expect(contents.records).toHaveLength(expected)
        const nonBlank = text.split('\n').filter((each) => each.trim() !== '').length
        expect(contents.records.length + contents.problems.length).toBe(nonBlank)
        for (const problem of contents.problems) expect(problem.line).toBeGreaterThan(0)
        await expect(readRunJournal(path)).resolves.toBeDefined()
      }),
      { numRuns: RUNS }
    )
  })

  it(`the GGUF reader answers a ModelFileError or a header for any mutated or cut model (${Math.ceil(RUNS / 3)} runs)`, async () => {
    const dir = await tempDir('sdf-fuzz-gguf-')
    const good = join(dir, 'good.gguf')
    await makeTestModel({ out: good, shape: 'tiny', quant: 'q8_0', seed: 1 })
    const bytes = await readFile(good)
    // The header and metadata live in the first few KiB: that is where mutations matter.
    const headerEnd = Math.min(bytes.length, 16 * 1024)
    const mutation = fc.record({
      flips: fc.array(fc.record({ at: fc.nat(headerEnd - 1), value: fc.nat(255) }), { maxLength: 8 }),
      cut: fc.option(fc.nat(bytes.length), { nil: null })
    })
    await fc.assert(
      fc.asyncProperty(mutation, async ({ flips, cut }) => {
        const mutated = Buffer.from(bytes)
        for (const flip of flips) mutated[flip.at] = flip.value
        const path = join(dir, 'mutated.gguf')
        await writeFile(path, cut === null ? mutated : mutated.subarray(0, cut))
        const outcome = await Promise.race([
          readModelFile(path).then(
            (model) => ({ ok: true as const, model }),
            (error: unknown) => ({ ok: false as const, error })
          ),
          new Promise<'hang'>((resolve) => setTimeout(() => resolve('hang'), 10_000))
        ])
        expect(outcome).not.toBe('hang')
        if (outcome !== 'hang' && !outcome.ok) {
          expect(outcome.error, String(outcome.error)).toBeInstanceOf(ModelFileError)
          expect((outcome.error as Error).message).toContain(path)
        }
      }),
      { numRuns: Math.ceil(RUNS / 3) }
    )
    // The case the fuzzer found: a key length over 2^31 made node-llama-cpp's reader abort the whole
    // process (a native assertion in fs.read), which a models folder listing would have triggered.
    const crafted = Buffer.from(bytes)
    crafted.writeBigUInt64LE(3_000_000_000n, 24) // the first metadata key's length
    const path = join(dir, 'crafted.gguf')
    await writeFile(path, crafted)
    await expect(readModelFile(path)).rejects.toThrow(/crafted\.gguf is truncated or corrupt \(its header needs 3000000032 bytes, the file has \d+\)/)
  }, 180_000)

  it(`the corpus parser rejects rows one by one or throws a CorpusError, for any CSV or JSONL bytes (${RUNS} runs)`, () => {
    const csvCell = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('"', '""', ',', '\n', '\r\n', 'id', 'text', 'author', 'reply_to', '\ufeff'))
    const csv = fc
      .array(fc.array(csvCell, { maxLength: 5 }), { maxLength: 8 })
      .map((rows) => ['id,text,author,reply_to', ...rows.map((row) => row.join(','))].join('\n'))
    const jsonl = fc.array(fc.oneof(fc.json(), fc.string({ maxLength: 30 })), { maxLength: 8 }).map((lines) => lines.join('\n'))
    fc.assert(
      fc.property(fc.oneof(csv.map((text) => ['csv', text] as const), jsonl.map((text) => ['jsonl', text] as const)), fc.uint8Array({ maxLength: 16 }), ([format, text], noise) => {
        for (const input of [Buffer.from(text), Buffer.concat([Buffer.from(text), Buffer.from(noise)])]) {
          try {
            const parsed = parseCorpus(input, { file: 'fuzz.csv', format })
            expect(Array.isArray(parsed.comments)).toBe(true)
            for (const comment of parsed.comments) expect(typeof comment.text).toBe('string')
          } catch (error) {
            expect(error, String(error)).toBeInstanceOf(CorpusError)
            expect((error as Error).message).toContain('fuzz.csv')
          }
        }
      }),
      { numRuns: RUNS }
    )
  })

  it(`the server-sent-event reader gives the same events however the bytes are split (${RUNS} runs)`, async () => {
    const field = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('data: [DONE]', 'data: {"a":1}', ': keep-alive', 'event: error', 'data:', 'retry: 10', 'é€😀'))
    const stream = fc.array(fc.tuple(field, fc.constantFrom('\n', '\r\n', '\r', '\n\n')), { maxLength: 10 }).map((lines) => lines.map(([text, end]) => text + end).join(''))
    async function* chunks(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
      let at = 0
      for (const cut of [...cuts].sort((a, b) => a - b)) {
        if (cut > at && cut < bytes.length) {
          yield bytes.subarray(at, cut)
          at = cut
        }
      }
      yield bytes.subarray(at)
    }
    const collect = async (source: AsyncIterable<Uint8Array>) => {
      const events = []
      for await (const event of parseSseStream(source)) events.push(event)
      return events
    }
    await fc.assert(
      fc.asyncProperty(stream, fc.array(fc.nat(400), { maxLength: 6 }), async (text, cuts) => {
        const bytes = new TextEncoder().encode(text)
        const whole = await collect(chunks(bytes, []))
        expect(await collect(chunks(bytes, cuts))).toEqual(whole)
      }),
      { numRuns: RUNS }
    )
  })
})
