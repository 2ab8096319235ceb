export * from './exportSdfFiles.js'
