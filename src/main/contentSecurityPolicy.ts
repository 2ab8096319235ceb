/**
 * The renderer's Content-Security-Policy. The same text is in `src/renderer/index.html` as a meta tag,
 * which is what applies to pages loaded from disk (they have no response headers); the header form
 * covers a dev server. Keep the two identical (a unit test compares them).
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'"
