import { ipcMain } from 'electron'
import { dispatch, failure, IPC_INVOKE_CHANNEL, type Contract, type HandlerTable } from '../shared/index.js'
import { isTrustedSender } from './trustedSender.js'

/** Serves the contract on the single IPC channel, to our own renderer's main frame only. */
export function registerInvokeHandler<C extends Contract>(contract: C, table: HandlerTable<C>, rendererUrl: string): void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, (event, method: unknown, input: unknown) => {
    if (!isTrustedSender(event.senderFrame, rendererUrl)) {
      return failure({ code: 'forbidden', message: 'the API is served only to the SDF Studio window' })
    }
    return dispatch(contract, table, method, input)
  })
}
