/** The simplest event source: every subscriber gets every later event; nothing is replayed. */
export class Broadcaster<T> {
  private readonly listeners = new Set<(event: T) => void>()

  publish(event: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event)
      } catch {
        // One broken subscriber must not keep the event from the others.
        this.listeners.delete(listener)
      }
    }
  }

  /** Answers the function that ends the subscription. */
  subscribe(listener: (event: T) => void): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  get size(): number {
    return this.listeners.size
  }
}
