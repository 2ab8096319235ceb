import type { SdfBridge } from '../../preload/sdfBridge.js'
import {
  appContract,
  appEvents,
  createBridgeConnection,
  createHostClient,
  createUnavailableClient,
  createWebSocketConnection,
  WEB_SOCKET_PATH,
  type ApiClient,
  type AppContract,
  type AppEvents,
  type HostClient
} from '../../shared/index.js'
import { openBrowserSocket } from './browserSocket.js'

export type AppClient = ApiClient<AppContract>

export type AppHost = HostClient<AppContract, AppEvents>

export const WEB_HOST_UNAVAILABLE =
  'SDF Studio has no host to talk to here. Open it in the desktop app, or through the URL that sdf serve prints.'

/** The page's own host, as far as choosing a transport needs it (`window.location`). */
export interface PageLocation {
  readonly protocol: string
  readonly host: string
}

/**
 * Picks the client once at startup: the desktop bridge when the preload put one on `window`, else a
 * WebSocket to the page's own host (`sdf serve`; its cookie authenticates the socket), else — on a
 * page with no host at all — a client whose every call explains that.
 */
export function pickClient(bridge: SdfBridge | undefined, location?: PageLocation): AppHost {
  if (bridge !== undefined) {
    return createHostClient(appContract, appEvents, createBridgeConnection(bridge))
  }
  if (location !== undefined && (location.protocol === 'http:' || location.protocol === 'https:')) {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
    const connection = createWebSocketConnection({ url: `${scheme}://${location.host}${WEB_SOCKET_PATH}`, open: openBrowserSocket })
    return createHostClient(appContract, appEvents, connection)
  }
  return unavailableHost()
}

function unavailableHost(): AppHost {
  return {
    api: createUnavailableClient(appContract, WEB_HOST_UNAVAILABLE),
    subscribe: () => () => undefined,
    status: () => ({ state: 'closed', attempt: 0 }),
    onStatus: () => () => undefined,
    close: () => undefined
  }
}
