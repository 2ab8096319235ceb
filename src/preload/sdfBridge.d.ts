// The one object the preload puts on `window`. Types only: the renderer may import this file,
// never the preload's code.

export interface SdfBridge {
  /** Sends one contract call to the desktop host; resolves with the raw result envelope (`ApiResult`). */
  invoke(method: string, input: unknown): Promise<unknown>
  /**
   * Subscribes to an event topic; `listener` gets every raw `SubscriptionMessage` for this id
   * (to be validated by the caller). Answers the function that ends the subscription.
   */
  subscribe(id: string, topic: string, cursor: unknown, listener: (message: unknown) => void): () => void
}

declare global {
  interface Window {
    /** Present only inside the desktop app. */
    readonly sdf?: SdfBridge
  }
}
