export * from './meanCiRow.js'
