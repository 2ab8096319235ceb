import { describe, expect, it } from 'vitest'
import { parseSseStream } from '../../../../src/core/llm/index.js'

async function* reads(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? new TextEncoder().encode(part) : part
}

async function collect(...parts: (string | Uint8Array)[]) {
  const events = []
  for await (const event of parseSseStream(reads(...parts))) events.push(event)
  return events
}

describe('parseSseStream', () => {
  it('yields each data event, in order', async () => {
    expect(await collect('data: {"a":1}\n\ndata: {"a":2}\n\ndata: [DONE]\n\n')).toEqual([
      { event: 'message', data: '{"a":1}' },
      { event: 'message', data: '{"a":2}' },
      { event: 'message', data: '[DONE]' }
    ])
  })

  it('joins lines and events split anywhere across reads', async () => {
    const text = 'data: {"content":"hello"}\n\ndata: {"content":"world"}\n\n'
    for (let cut = 1; cut < text.length; cut++) {
      expect(await collect(text.slice(0, cut), text.slice(cut))).toEqual([
        { event: 'message', data: '{"content":"hello"}' },
        { event: 'message', data: '{"content":"world"}' }
      ])
    }
  })

  it('accepts CRLF and CR line endings, also with the CRLF split between reads', async () => {
    expect(await collect('data: one\r\n\r\ndata: two\r', '\n\r', '\ndata: three\r\r')).toEqual([
      { event: 'message', data: 'one' },
      { event: 'message', data: 'two' },
      { event: 'message', data: 'three' }
    ])
  })

  it('decodes a multi-byte character split between reads', async () => {
    const bytes = new TextEncoder().encode('data: héllo ✓\n\n')
    expect(await collect(bytes.slice(0, 8), bytes.slice(8, 15), bytes.slice(15))).toEqual([{ event: 'message', data: 'héllo ✓' }])
  })

  it('skips comments and unknown fields, keeps event names, and joins multi-line data', async () => {
    expect(await collect(': keep-alive\n\nid: 7\nretry: 100\nevent: error\ndata: line 1\ndata:line 2\n\n')).toEqual([
      { event: 'error', data: 'line 1\nline 2' }
    ])
  })

  it('delivers a last event that has no blank line after it', async () => {
    expect(await collect('data: {"a":1}\n\ndata: [DONE]')).toEqual([
      { event: 'message', data: '{"a":1}' },
      { event: 'message', data: '[DONE]' }
    ])
  })
})
