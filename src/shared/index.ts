// The API contract between the UI and its hosts. Imported by the renderer too: zod and itself only.
export * from './apiError.js'
export * from './apiResult.js'
export * from './contract.js'
export * from './handlerTable.js'
export * from './client.js'
export * from './appContract.js'
export * from './ipcChannel.js'
