/** The part of Electron's `WebFrameMain` that the trust check reads (a plain shape, so tests need no Electron). */
export interface SenderFrame {
  readonly url: string
  readonly parent: unknown
}

/**
 * IPC is served only to the top-level frame showing our own renderer: with a dev server, any page
 * of its origin; from disk, exactly our `index.html` (file URLs all share the opaque origin "null").
 * `frame` is null when the sender navigated away or was destroyed before the call arrived.
 */
export function isTrustedSender(frame: SenderFrame | null, rendererUrl: string): boolean {
  if (frame === null || frame.parent !== null) {
    return false
  }
  let actual: URL
  let expected: URL
  try {
    actual = new URL(frame.url)
    expected = new URL(rendererUrl)
  } catch {
    return false
  }
  if (expected.protocol === 'file:') {
    return actual.protocol === 'file:' && actual.host === expected.host && actual.pathname === expected.pathname
  }
  return actual.origin === expected.origin
}

/** Only https links leave the app, and only to the OS browser. */
export function isExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:'
  } catch {
    return false
  }
}
