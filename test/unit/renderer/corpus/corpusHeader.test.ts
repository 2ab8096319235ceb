import { describe, expect, it } from 'vitest'
import { CorpusMappingSchema } from '../../../../src/shared/index.js'
import {
  bytesToBase64,
  choiceToMapping,
  corpusIdOf,
  corpusNameFromFile,
  guessCorpusMapping,
  mappingProblems,
  readCorpusColumns,
  readCsvHeader,
  readJsonlKeys,
  sniffCorpusFormat
} from '../../../../src/renderer/src/pages/corpus/corpusHeader.js'
import { threadIndent } from '../../../../src/renderer/src/pages/corpus/threadTree.js'
import { corpusIdFromName } from '../../../../src/core/corpus/corpusIdFromName.js'

describe('reading a thread file header in the browser', () => {
  it('reads a CSV header with quoted names holding commas, doubled quotes and a line break, dropping a byte order mark', () => {
    expect(readCsvHeader('\uFEFFconv_id,"message, id","say ""hi""","multi\nline",text\r\n1,2,3,4,5\n')).toEqual(['conv_id', 'message, id', 'say "hi"', 'multi\nline', 'text'])
  })

  it('skips blank lines before the header and trims the names', () => {
    expect(readCsvHeader('\n\r\n conv_id , text \n1,a')).toEqual(['conv_id', 'text'])
  })

  it('reads the keys of the first JSONL objects in first-seen order, passing over broken lines', () => {
    expect(readJsonlKeys('{"a":1,"b":2}\nnot json\n\n{"b":3,"c":4}\n[1,2]\n')).toEqual(['a', 'b', 'c'])
  })

  it('tells JSONL from CSV by the extension, else by whether the file opens with an object', () => {
    expect(sniffCorpusFormat('threads.jsonl', 'a,b')).toBe('jsonl')
    expect(sniffCorpusFormat('threads.NDJSON', '')).toBe('jsonl')
    expect(sniffCorpusFormat('threads.csv', '{"a":1}')).toBe('csv')
    expect(sniffCorpusFormat('threads.txt', '  {"a":1}')).toBe('jsonl')
    expect(sniffCorpusFormat('threads.txt', 'a,b')).toBe('csv')
    expect(readCorpusColumns('x.csv', 'a,b,a\n')).toEqual({ format: 'csv', columns: ['a', 'b'] })
  })
})

describe('guessing the column mapping', () => {
  it('maps the Conversations Gone Awry header field for field, flag included', () => {
    expect(guessCorpusMapping(['conv_id', 'message_id', 'reply_to', 'user', 'escalated', 'text'])).toEqual({
      conv_id: 'conv_id',
      message_id: 'message_id',
      reply_to: 'reply_to',
      user: 'user',
      text: 'text',
      flag: 'escalated',
      timestamp: null
    })
  })

  it('recognises common other names regardless of case and separators, one column per field', () => {
    expect(guessCorpusMapping(['Thread ID', 'id', 'Parent-ID', 'Author', 'Body', 'created_utc', 'score'])).toEqual({
      conv_id: 'Thread ID',
      message_id: 'id',
      reply_to: 'Parent-ID',
      user: 'Author',
      text: 'Body',
      flag: null,
      timestamp: 'created_utc'
    })
  })

  it('does not take a message id column as the text when a text column exists', () => {
    const guess = guessCorpusMapping(['conversation', 'message', 'comment', 'speaker'])
    expect(guess.message_id).toBe('message')
    expect(guess.text).toBe('comment')
  })

  it('leaves a field unchosen when no column fits, and says what to choose', () => {
    const guess = guessCorpusMapping(['a', 'b'])
    expect(guess.text).toBeNull()
    expect(mappingProblems(guess)).toEqual([
      'Choose the column that holds the conversation',
      'Choose the column that holds the comment id',
      'Choose the column that holds the author',
      'Choose the column that holds the text'
    ])
  })

  it('refuses one column chosen for two fields', () => {
    const guess = { ...guessCorpusMapping(['conv_id', 'message_id', 'user', 'text']), user: 'text' }
    expect(mappingProblems(guess)).toEqual(['Column "text" is chosen for two fields'])
  })

  it('turns the choice into the contract mapping with every field explicit, null for a column the file lacks', () => {
    const mapping = choiceToMapping(guessCorpusMapping(['conv_id', 'message_id', 'user', 'text']))
    expect(CorpusMappingSchema.parse(mapping)).toEqual({ conv_id: 'conv_id', message_id: 'message_id', reply_to: null, user: 'user', text: 'text', flag: null, timestamp: null })
  })
})

describe('corpus names, ids and bytes', () => {
  it('names a corpus after its file, without the extension', () => {
    expect(corpusNameFromFile('data/cga-sample.csv')).toBe('cga-sample')
    expect(corpusNameFromFile('threads.jsonl')).toBe('threads')
  })

  it('derives the id the host will give a name', () => {
    for (const name of ['CGA Sample', 'Café threads!', '__x__', 'a  b']) expect(corpusIdOf(name)).toBe(corpusIdFromName(name))
  })

  it('encodes bytes that are not UTF-8 as base64, exactly', () => {
    const bytes = new Uint8Array([0x61, 0xff, 0xfe, 0x00, 0x62])
    expect(Buffer.from(bytesToBase64(bytes), 'base64')).toEqual(Buffer.from(bytes))
    const big = new Uint8Array(100_000).map((_, index) => index % 256)
    expect(Buffer.from(bytesToBase64(big), 'base64').equals(Buffer.from(big))).toBe(true)
  })

  it('indents replies by depth, up to a limit', () => {
    expect([0, 1, 3, 50].map(threadIndent)).toEqual([0, 24, 72, 192])
  })
})
