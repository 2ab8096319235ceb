/**
 * Cuts streamed text at the first stop string, as llama-cpp-python does for SDF's `["###", "\n\n",
 * "User"]`: the stop string and everything after it are dropped. Text that might be the start of a
 * stop string is held back until the next piece decides it, so nothing is ever emitted that a later
 * piece would have cut.
 */
export class StopStringMatcher {
  private readonly stops: readonly string[]
  private held = ''
  private stopped = false

  constructor(stops: readonly string[]) {
    this.stops = stops.filter((stop) => stop.length > 0)
  }

  get hasStopped(): boolean {
    return this.stopped
  }

  /** Feeds the next piece; returns the text that is now safe to emit and whether a stop was hit. */
  push(text: string): { emit: string; stopped: boolean } {
    if (this.stopped) return { emit: '', stopped: true }
    const buffer = this.held + text
    const cut = this.firstStopIndex(buffer)
    if (cut !== -1) {
      this.stopped = true
      this.held = ''
      return { emit: buffer.slice(0, cut), stopped: true }
    }
    const keep = this.longestPartialStopSuffix(buffer)
    this.held = buffer.slice(buffer.length - keep)
    return { emit: buffer.slice(0, buffer.length - keep), stopped: false }
  }

  /** The end of the stream: text held back as a possible stop string start was not one after all. */
  flush(): string {
    const rest = this.held
    this.held = ''
    return rest
  }

  private firstStopIndex(buffer: string): number {
    let first = -1
    for (const stop of this.stops) {
      const index = buffer.indexOf(stop)
      if (index !== -1 && (first === -1 || index < first)) first = index
    }
    return first
  }

  /** Length of the longest suffix of `buffer` that is a proper prefix of some stop string. */
  private longestPartialStopSuffix(buffer: string): number {
    let longest = 0
    for (const stop of this.stops) {
      for (let length = Math.min(stop.length - 1, buffer.length); length > longest; length--) {
        if (buffer.endsWith(stop.slice(0, length))) {
          longest = length
          break
        }
      }
    }
    return longest
  }
}
