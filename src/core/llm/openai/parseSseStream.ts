/** One server-sent event: its `event:` name (default "message") and its `data:` lines joined by "\n". */
export interface SseEvent {
  readonly event: string
  readonly data: string
}

/**
 * Reads a `text/event-stream` body as events, per the WHATWG rules servers actually rely on: lines
 * end in LF, CRLF or CR (a CR at the end of one read may be half of a CRLF split across reads, so it
 * waits for the next); `:` lines are comments (keep-alives); several `data:` lines make one event;
 * a blank line ends the event. A multi-byte character split across reads is decoded whole.
 *
 * At the end of the body a last event without its blank line is still delivered: some servers end
 * with `data: [DONE]\n` and nothing after it. A body cut off by a dropped connection never gets
 * here — the read itself fails — so this leniency cannot pass off a truncated stream as complete.
 */
export async function* parseSseStream(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder('utf-8')
  let buffer = ''
  let event = ''
  let data: string[] = []
  let sawData = false
  let first = true

  function* takeLine(line: string): Generator<SseEvent> {
    if (first) {
      first = false
      if (line.startsWith('\uFEFF')) line = line.slice(1)
    }
    if (line === '') {
      if (sawData) yield { event: event || 'message', data: data.join('\n') }
      event = ''
      data = []
      sawData = false
      return
    }
    if (line.startsWith(':')) return
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'data') {
      data.push(value)
      sawData = true
    } else if (field === 'event') {
      event = value
    }
    // `id:`, `retry:` and unknown fields mean nothing to a completion stream.
  }

  function* drain(final: boolean): Generator<SseEvent> {
    for (;;) {
      const match = /\r\n|\n|\r/.exec(buffer)
      if (match === null) break
      // A lone CR at the very end may be the first half of a CRLF still on the wire.
      if (match[0] === '\r' && match.index === buffer.length - 1 && !final) break
      const line = buffer.slice(0, match.index)
      buffer = buffer.slice(match.index + match[0].length)
      yield* takeLine(line)
    }
  }

  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true })
    yield* drain(false)
  }
  buffer += decoder.decode()
  yield* drain(true)
  if (buffer !== '') yield* takeLine(buffer)
  buffer = ''
  yield* takeLine('')
}
