export * from './testModel/index.js'
