// The one public face of the core: hosts (CLI, Electron main, web host) import from here.
export * from './version.js'
export * from './schema/index.js'
export * from './workspace/index.js'
export * from './import/index.js'
export * from './formats/index.js'
export * from './models/index.js'
export * from './export/index.js'
