export * from './testModel/index.js'
export { ModelFileError, type ModelFileErrorCode } from './ModelFileError.js'
export { readModelFile, type ModelFile } from './readModelFile.js'
export { describeModelFile, type ModelMetadata } from './describeModelFile.js'
export { fitModel, type ModelFit } from './modelFit.js'
export { describeHardware, type HardwareInfo } from './describeHardware.js'
export { listModels, type ListModelsOptions, type ModelListing } from './listModels.js'
export { sha256OfModel, sha256OfFile, SHA256_CACHE_FILE_NAME, type Sha256OfModelOptions } from './sha256OfModel.js'
export {
  downloadModel,
  ModelDownloadError,
  type DownloadedModel,
  type DownloadModelOptions,
  type DownloadProgress,
  type ModelDownloadErrorCode
} from './downloadModel.js'
