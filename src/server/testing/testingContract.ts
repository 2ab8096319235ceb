import { z } from 'zod'
import { defineContract } from '../../shared/index.js'

/**
 * Methods for tests and benchmarks only. They are not part of the app's contract and are served
 * only when `sdf serve` runs with SDF_SERVE_TESTING=1; otherwise they answer `unknown-method`.
 */
export const testingContract = defineContract({
  /** Starts synthetic token streams: `streams` of them sharing `tokensPerSecond`, each token `w<seq> `. */
  'testing.streams.start': {
    input: z.strictObject({
      streams: z.number().int().min(1).max(1024),
      tokensPerSecond: z.number().positive().max(1_000_000),
      durationMs: z.number().int().positive().max(600_000)
    }),
    output: z.object({ streamIds: z.array(z.string()) })
  },
  /** Closes every WebSocket from the server side, as a lost network would. */
  'testing.dropConnections': { input: z.strictObject({}), output: z.object({ dropped: z.number().int().nonnegative() }) },
  /** The server process's CPU time (µs, `process.cpuUsage()`) and resident memory (bytes). */
  'testing.usage': {
    input: z.strictObject({}),
    output: z.object({ userMicros: z.number(), systemMicros: z.number(), rssBytes: z.number() })
  }
})

export type TestingContract = typeof testingContract

/** The environment variable that turns the testing methods on. */
export const TESTING_ENV = 'SDF_SERVE_TESTING'
