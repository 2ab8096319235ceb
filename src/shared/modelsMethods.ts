import type { AppContract } from './appContract.js'
import type { Implementation } from './contract.js'
import type { LoadedModel, ModelDownloadEvent } from './modelsContract.js'
import { withEngineErrors } from './engineErrors.js'

/** The model management behind the methods; core's `createModelsPorts` builds it for a host. */
export interface ModelsPorts {
  /** Turns a port's error into a typed one; null: not one it knows. */
  describeError(error: unknown): { code: 'invalid-input' | 'not-found' | 'unavailable'; message: string } | null
  status(): { loaded: LoadedModel | null; downloads: ModelDownloadEvent[] }
  load(fileName: string, gpuLayers: number | 'auto' | undefined, contextSize: number | undefined): Promise<unknown>
  unload(): Promise<void>
  startDownload(source: string): { downloadId: string; fileName: string | null }
  makeDemo(): Promise<{ fileName: string; created: boolean; notice: string }>
}

export type ModelsMethods = Pick<
  Implementation<AppContract>,
  'models.status' | 'models.load' | 'models.unload' | 'models.download' | 'models.makeDemo'
>

/** The models methods, written once for both hosts over core's model slot and downloader. */
export function createModelsMethods(ports: ModelsPorts): ModelsMethods {
  const guarded = <T>(work: () => Promise<T> | T): Promise<T> => withEngineErrors((error) => ports.describeError(error), work)

  return {
    'models.status': () => guarded(() => ports.status()),
    'models.load': ({ fileName, gpuLayers, contextSize }) =>
      guarded(async () => {
        await ports.load(fileName, gpuLayers, contextSize)
        return ports.status()
      }),
    'models.unload': () =>
      guarded(async () => {
        await ports.unload()
        return ports.status()
      }),
    'models.download': ({ source }) => guarded(() => ports.startDownload(source)),
    'models.makeDemo': () => guarded(() => ports.makeDemo())
  }
}
