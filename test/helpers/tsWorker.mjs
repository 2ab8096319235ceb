// Starts a TypeScript worker entry through tsx (the app runs the built .js instead): workerData.entry.
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
await import(workerData.entry)
