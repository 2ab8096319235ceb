export type ModelFileErrorCode = 'not-found' | 'invalid'

/** A model file that is missing or is not a usable GGUF file; the message names the file. */
export class ModelFileError extends Error {
  override readonly name = 'ModelFileError'
  constructor(
    readonly code: ModelFileErrorCode,
    readonly path: string,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(message, options)
  }
}
