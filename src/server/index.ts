// The web host's public face: `sdf serve` (src/cli) starts it from here.
export * from './accessToken.js'
export * from './loopback.js'
export * from './staticFiles.js'
export * from './startServer.js'
export { TESTING_ENV } from './testing/testingContract.js'
