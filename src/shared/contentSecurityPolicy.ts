/**
 * The renderer's Content-Security-Policy, one text for every host. It is also in
 * `src/renderer/index.html` as a meta tag, which is what applies to pages loaded from disk (they have
 * no response headers); a unit test keeps the two identical.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'"

/**
 * What hosts send as a response header: `frame-ancestors` is ignored in a meta tag, so only the
 * header can forbid framing (clickjacking). `connect-src 'self'` covers the same-origin WebSocket.
 */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`
