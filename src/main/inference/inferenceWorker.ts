// The inference worker's entry (a worker_threads Worker started by main's InferenceWorkerHost).
import { parentPort, workerData } from 'node:worker_threads'
import { serveInferenceWorker } from './inferenceWorkerService.js'
import { WorkerSettingsSchema } from './workerProtocol.js'

if (parentPort === null) throw new Error('inferenceWorker.js runs only as a worker thread')
const settings = WorkerSettingsSchema.safeParse((workerData as { settings?: unknown } | null)?.settings)
if (!settings.success) throw new Error(`the inference worker was started without valid settings: ${settings.error.message}`)
serveInferenceWorker(parentPort, settings.data)
