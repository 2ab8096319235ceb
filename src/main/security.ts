import { shell, type Session, type WebContents } from 'electron'
import { CONTENT_SECURITY_POLICY } from './contentSecurityPolicy.js'
import { isExternalLink } from './trustedSender.js'

/** Adds the CSP header to every response, and refuses every permission request (camera, notifications…). */
export function hardenSession(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] }
    })
  })
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
}

/**
 * The app never navigates and never opens windows: every navigation and `window.open` is refused,
 * and https links go to the OS browser instead. `<webview>` is refused too.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault()
    openExternally(url)
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url)
    return { action: 'deny' }
  })
}

function openExternally(url: string): void {
  if (isExternalLink(url)) {
    void shell.openExternal(url).catch(() => undefined)
  }
}
