import type { RunEventCursor, SequencedRunEvent } from './runEventLog.js'

/**
 * The receiving end of `run.events`: takes each event once by sequence number, so the replay after
 * a reconnect that overlaps what arrived live shows nothing twice, counts events that never came
 * (the host no longer held them), and its `cursor()` is what a resubscription sends.
 */
export class RunEventReader {
  private epoch: string | null = null
  private nextSeq = 0
  private missingCount = 0

  /** Answers true for an event not seen before (act on it), false for a repeat (ignore it). */
  accept(event: SequencedRunEvent): boolean {
    if (event.epoch !== this.epoch) {
      // A restarted host numbers from 0 again; what it held before the restart is gone.
      this.epoch = event.epoch
      this.nextSeq = event.seq
    }
    if (event.seq < this.nextSeq) return false
    this.missingCount += event.seq - this.nextSeq
    this.nextSeq = event.seq + 1
    return true
  }

  /** Starts from a known point, e.g. the `events` of `runs.status`, before subscribing. */
  startAt(cursor: RunEventCursor): void {
    this.epoch = cursor.epoch
    this.nextSeq = cursor.next
  }

  /** Events the host had dropped before this reader caught up; zero in normal operation. */
  get missing(): number {
    return this.missingCount
  }

  /** What to subscribe with; undefined (live only) until the first event or `startAt`. */
  cursor(): RunEventCursor | undefined {
    return this.epoch === null ? undefined : { epoch: this.epoch, next: this.nextSeq }
  }
}
