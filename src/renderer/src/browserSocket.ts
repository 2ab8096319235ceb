import type { OpenSocket } from '../../shared/index.js'

/** The browser's WebSocket, fitted to the connection's socket interface. */
export const openBrowserSocket: OpenSocket = (url, handlers) => {
  const socket = new WebSocket(url)
  socket.onopen = () => handlers.onOpen()
  socket.onmessage = (event) => {
    if (typeof event.data === 'string') handlers.onMessage(event.data)
  }
  socket.onclose = (event) => handlers.onClose(event.code, event.reason)
  return {
    send: (data) => socket.send(data),
    close: (code, reason) => socket.close(code, reason)
  }
}
