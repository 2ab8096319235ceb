import { z } from 'zod'
import { RunEventPayloadSchema, type RunEventPayload } from './studioContract.js'

const SeqSchema = z.number().int().nonnegative()

/**
 * A run event as `run.events` carries it: numbered by the host, from 0, across all runs, so a
 * subscriber that lost its link asks for what follows the last one it has. `epoch` names one life
 * of the host's log: after a host restart the numbers start again, under a new epoch.
 */
export const SequencedRunEventSchema = RunEventPayloadSchema.extend({
  seq: SeqSchema,
  epoch: z.string().min(1).max(64)
})

export type SequencedRunEvent = z.infer<typeof SequencedRunEventSchema>

/**
 * Where a `run.events` subscriber resumes: the next sequence number it needs in the log it last
 * saw. No cursor: live events only. Another epoch (the host restarted): everything the host holds.
 */
export const RunEventCursorSchema = z.strictObject({ epoch: z.string().min(1).max(64), next: SeqSchema })

export type RunEventCursor = z.infer<typeof RunEventCursorSchema>

export interface RunEventLogOptions {
  /** Events held for replay; a subscriber further behind sees a gap (its reader counts it as missing). */
  maxEvents?: number
  epoch?: string
}

const DEFAULT_MAX_EVENTS = 20_000

interface Subscriber {
  send: (event: SequencedRunEvent) => void
  next: number
}

/**
 * The host's `run.events`: numbers each event, keeps the recent ones, and gives every subscriber
 * each event once and in order: first what it missed since its cursor, then live ones. Everything
 * here is synchronous, so no event can slip between a subscriber's replay and its live events.
 */
export class RunEventLog {
  readonly epoch: string
  private readonly maxEvents: number
  private held: SequencedRunEvent[] = []
  private nextSeq = 0
  private readonly subscribers = new Set<Subscriber>()

  constructor(options: RunEventLogOptions = {}) {
    this.epoch = options.epoch ?? randomEpoch()
    this.maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS
  }

  /** The sequence number the next event will get (what `runs.status` answers, to subscribe from). */
  get next(): number {
    return this.nextSeq
  }

  get subscriberCount(): number {
    return this.subscribers.size
  }

  publish(payload: RunEventPayload): SequencedRunEvent {
    const event: SequencedRunEvent = { ...payload, seq: this.nextSeq++, epoch: this.epoch }
    this.held.push(event)
    // Trim in steps of a quarter of the limit, so dropping old events is not a copy per event.
    if (this.held.length > this.maxEvents + Math.ceil(this.maxEvents / 4)) this.held = this.held.slice(-this.maxEvents)
    for (const subscriber of [...this.subscribers]) this.deliver(subscriber, event)
    return event
  }

  /** Replays what the cursor missed, then sends live events; answers the function that ends the subscription. */
  subscribe(send: (event: SequencedRunEvent) => void, cursor?: RunEventCursor): () => void {
    const from = cursor === undefined ? this.nextSeq : cursor.epoch === this.epoch ? Math.min(cursor.next, this.nextSeq) : 0
    const subscriber: Subscriber = { send, next: from }
    this.subscribers.add(subscriber)
    for (const event of this.held) {
      if (event.seq < from) continue
      if (!this.deliver(subscriber, event)) break
    }
    return () => {
      this.subscribers.delete(subscriber)
    }
  }

  private deliver(subscriber: Subscriber, event: SequencedRunEvent): boolean {
    if (event.seq < subscriber.next) return true
    try {
      subscriber.send(event)
      subscriber.next = event.seq + 1
      return true
    } catch {
      // A subscriber whose channel broke is dropped; it catches up by cursor when it comes back.
      this.subscribers.delete(subscriber)
      return false
    }
  }
}

function randomEpoch(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`
}
