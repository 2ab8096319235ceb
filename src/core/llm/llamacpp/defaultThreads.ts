import { availableParallelism } from 'node:os'

/**
 * CPU threads for llama.cpp when none are given: every core but one, which stays free for the app,
 * its event loop and the journal's fsyncs. More threads than cores thrash (a demo on 2 cores with
 * 4 threads made no progress in 3 minutes; with 1 it finished in 25 s).
 */
export function defaultLlamaThreads(): number {
  return Math.max(1, availableParallelism() - 1)
}
