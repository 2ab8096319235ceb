// An OpenAI-compatible server that misbehaves on purpose, run as its own process by the fault
// tests (so it can also be SIGKILLed mid-answer). Plain Node, no TypeScript, so it starts quickly.
//
// The behaviour is chosen per request by the path: /<mode>/v1/chat/completions (or /completions), where <mode> is
//   ok            a proper streamed answer
//   drop-before   the connection is destroyed before any answer
//   drop-mid      two pieces of the answer, then the connection is destroyed
//   stall-before  the request is read and never answered
//   stall-mid     two pieces, then silence (the connection stays open)
//   garbage-json  200 with a body that is not JSON (stream ignored, as some proxies do)
//   garbage-sse   200 text/event-stream whose events are not JSON
//   binary        200 text/event-stream of random bytes
//   html-500      500 with an HTML error page
//   echo-key-500  500 whose message quotes the Authorization header (a leaky proxy)
//   flaky-N       every Nth request (1-based, counted per mode) drops mid-answer, the others are ok
// GET /<mode>/v1/models lists one model. It prints "listening <port>" on stdout once ready.
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'

const counts = new Map()

// Set per request: /chat/completions streams deltas, /completions (raw prompts) streams text.
let chat = true
function chunk(content, finish = null) {
  const choice = chat ? { index: 0, delta: content === null ? {} : { content }, finish_reason: finish } : { index: 0, text: content ?? '', finish_reason: finish }
  return { id: 'c1', object: chat ? 'chat.completion.chunk' : 'text_completion', created: 1, model: 'flaky', choices: [choice] }
}
const event = (value) => `data: ${typeof value === 'string' ? value : JSON.stringify(value)}\n\n`

function startStream(response) {
  response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
}

function streamOk(response) {
  startStream(response)
  for (const piece of ['Hello', ' there', ', all', '.']) response.write(event(chunk(piece)))
  response.write(event(chunk(null, 'stop')))
  response.write(event({ ...chunk(null), choices: [], usage: { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 } }))
  response.end(event('[DONE]'))
}

function twoPieces(response) {
  startStream(response)
  response.write(event(chunk('Hello')))
  response.write(event(chunk(' there')))
}

const server = createServer((request, response) => {
  const body = []
  request.on('data', (piece) => body.push(piece))
  request.on('end', () => {
    const match = /^\/([a-z0-9-]+)\/v1\/(.*)$/.exec(request.url ?? '')
    if (!match) {
      response.writeHead(404, { 'Content-Type': 'application/json' })
      response.end(JSON.stringify({ error: { message: `no such path ${request.url}` } }))
      return
    }
    const [, mode, rest] = match
    if (rest === 'models') {
      response.writeHead(200, { 'Content-Type': 'application/json' })
      response.end(JSON.stringify({ object: 'list', data: [{ id: 'flaky', object: 'model' }] }))
      return
    }
    chat = rest !== 'completions'
    const count = (counts.get(mode) ?? 0) + 1
    counts.set(mode, count)
    const flaky = /^flaky-(\d+)$/.exec(mode)
    switch (flaky ? (count % Number(flaky[1]) === 0 ? 'drop-mid' : 'ok') : mode) {
      case 'ok':
        return streamOk(response)
      case 'drop-before':
        return request.socket.destroy()
      case 'drop-mid':
        twoPieces(response)
        return setTimeout(() => request.socket.destroy(), 20)
      case 'stall-before':
        return // never answered
      case 'stall-mid':
        return twoPieces(response)
      case 'garbage-json':
        response.writeHead(200, { 'Content-Type': 'application/json' })
        return response.end('{"choices": [ this is not json')
      case 'garbage-sse':
        startStream(response)
        response.write('data: {"choices": [ not json\n\n')
        return response.end(event('[DONE]'))
      case 'binary':
        startStream(response)
        return response.end(randomBytes(4096))
      case 'html-500':
        response.writeHead(500, { 'Content-Type': 'text/html' })
        return response.end('<html><body><h1>502 Bad Gateway</h1></body></html>')
      case 'echo-key-500':
        response.writeHead(500, { 'Content-Type': 'application/json' })
        return response.end(JSON.stringify({ error: { message: `upstream refused request with ${request.headers.authorization}` } }))
      default:
        response.writeHead(400, { 'Content-Type': 'application/json' })
        return response.end(JSON.stringify({ error: { message: `unknown mode ${mode}` } }))
    }
  })
})

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`)
})
