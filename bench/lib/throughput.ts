import type { LlamaContext, LlamaContextSequence, SequenceEvaluateOptions, Token } from 'node-llama-cpp'
import type { ChatMessage, GenerationRequest, InferenceBackend } from '../../src/core/llm/index.js'

/** One measurement: how many tokens `streams` concurrent generations produced, and how fast. */
export interface StreamsRun {
  readonly streams: number
  readonly generatedTokens: number
  readonly seconds: number
  readonly tokensPerSecond: number
  /** Process CPU time (all threads) per generated token: the work done, which other load disturbs less than wall time. */
  readonly cpuMicrosPerToken: number
}

/** The same sampling on both sides; node-llama-cpp's defaults for the rest. */
export const BENCH_SAMPLING = { temperature: 0.8, topK: 40, topP: 0.95 } as const

/**
 * A distinct prompt per run and stream, so neither side gets a cached prefix from an earlier run
 * (the engine would reuse it, raw node-llama-cpp would not). `padWords` makes it longer.
 */
export function benchMessages(run: number, stream: number, padWords = 0): ChatMessage[] {
  const pad = padWords > 0 ? ` Context: ${Array.from({ length: padWords }, (_, index) => `word${index % 97}`).join(' ')}.` : ''
  return [
    { role: 'system', content: `Run ${run}, stream ${stream}. You are a human participating in an online chatroom.${pad}` },
    { role: 'user', content: 'User Bob posted: I think the new park is a waste of money.\nUser Alice posted:' }
  ]
}

/** Raw node-llama-cpp: one `sequence.evaluate` loop per stream, counting tokens and nothing else. */
export async function rawStreams(
  sequences: readonly LlamaContextSequence[],
  prompts: readonly Token[][],
  maxTokens: number,
  seedBase: number
): Promise<StreamsRun> {
  await Promise.all(sequences.map((sequence) => sequence.clearHistory()))
  const started = performance.now()
  const cpuStart = process.cpuUsage()
  const counts = await Promise.all(
    prompts.map(async (prompt, index) => {
      const options: SequenceEvaluateOptions = { ...BENCH_SAMPLING, seed: seedBase + index }
      let generated = 0
      for await (const token of sequences[index]!.evaluate(prompt, options)) {
        void token
        if (++generated >= maxTokens) break
      }
      return generated
    })
  )
  return finish(prompts.length, counts, started, cpuStart)
}

/** Our engine: the same prompts as requests, all at once. */
export async function engineStreams(backend: InferenceBackend, requests: readonly GenerationRequest[]): Promise<StreamsRun> {
  const started = performance.now()
  const cpuStart = process.cpuUsage()
  const results = await Promise.all(requests.map((request) => backend.generate(request)))
  return finish(
    requests.length,
    results.map((result) => result.stats.generatedTokens),
    started,
    cpuStart
  )
}

/** Prompt evaluation speed of raw node-llama-cpp (no token generated). */
export async function rawPromptRate(sequence: LlamaContextSequence, prompt: readonly Token[]): Promise<number> {
  await sequence.clearHistory()
  const started = performance.now()
  await sequence.evaluateWithoutGeneratingNewTokens([...prompt])
  return prompt.length / ((performance.now() - started) / 1000)
}

/** Takes `count` sequences of a context (the rest stay unused). */
export function takeSequences(context: LlamaContext, count: number): LlamaContextSequence[] {
  return Array.from({ length: count }, () => context.getSequence())
}

function finish(streams: number, counts: number[], started: number, cpuStart: NodeJS.CpuUsage): StreamsRun {
  const seconds = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpuStart)
  const generatedTokens = counts.reduce((sum, count) => sum + count, 0)
  return {
    streams,
    generatedTokens,
    seconds,
    tokensPerSecond: generatedTokens / seconds,
    cpuMicrosPerToken: (cpu.user + cpu.system) / Math.max(1, generatedTokens)
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** A plain-text table with right-aligned numbers. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column]?.length ?? 0)))
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n')
}
