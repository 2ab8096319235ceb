// Analyses of discussions and their annotations: pure computations over core data, no I/O.
export * from './agreement/index.js'
