// The one object the preload puts on `window`. Types only: the renderer may import this file,
// never the preload's code.

/** Sends one contract call to the desktop host; resolves with the raw result envelope (`ApiResult`). */
export interface SdfBridge {
  invoke(method: string, input: unknown): Promise<unknown>
}

declare global {
  interface Window {
    /** Present only inside the desktop app. */
    readonly sdf?: SdfBridge
  }
}
