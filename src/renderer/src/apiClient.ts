import type { SdfBridge } from '../../preload/sdfBridge.js'
import { appContract, createClient, createUnavailableClient, type ApiClient, type AppContract } from '../../shared/index.js'

export type AppClient = ApiClient<AppContract>

export const WEB_HOST_UNAVAILABLE =
  'SDF Studio is running outside the desktop app, and the web host (sdf serve) is not available yet.'

/** Picks the client once at startup: the desktop bridge when present, else a placeholder that explains. */
export function pickClient(bridge: SdfBridge | undefined): AppClient {
  if (bridge !== undefined) {
    return createClient(appContract, (method, input) => bridge.invoke(method, input))
  }
  return createUnavailableClient(appContract, WEB_HOST_UNAVAILABLE)
}
