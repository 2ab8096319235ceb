import type { GenerateCallbacks, GenerationRequest, GenerationResult, InferenceBackend } from '../../llm/backend.js'

export type GenerationChunk = { kind: 'tokens'; text: string } | { kind: 'done'; result: GenerationResult }

/**
 * One `generate` call as an async sequence: streamed text, then the result. Text that arrives while
 * the consumer is busy is joined into one chunk, so a slow consumer never builds up a backlog and
 * never slows the model down. A failed call rejects on the next pull.
 */
export async function* streamGeneration(
  backend: InferenceBackend,
  request: GenerationRequest,
  signal: AbortSignal | undefined
): AsyncGenerator<GenerationChunk, void> {
  let pending = ''
  let wake: (() => void) | null = null
  const notify = (): void => {
    const waiting = wake
    wake = null
    waiting?.()
  }
  const callbacks: GenerateCallbacks = {
    onTokens: (text) => {
      pending += text
      notify()
    },
    ...(signal ? { signal } : {})
  }
  let outcome: { result: GenerationResult } | { error: unknown } | null = null
  void backend.generate(request, callbacks).then(
    (result) => {
      outcome = { result }
      notify()
    },
    (error: unknown) => {
      outcome = { error }
      notify()
    }
  )
  for (;;) {
    if (pending !== '') {
      const text = pending
      pending = ''
      yield { kind: 'tokens', text }
      continue
    }
    const settled = outcome as { result: GenerationResult } | { error: unknown } | null
    if (settled) {
      if ('error' in settled) throw settled.error
      yield { kind: 'done', result: settled.result }
      return
    }
    await new Promise<void>((resolve) => {
      wake = resolve
    })
  }
}
