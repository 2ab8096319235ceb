import type { CorpusImportReport } from './corpusImportReport.js'

/** A corpus that cannot be read, stored or sampled as asked; the message says what to change. */
export class CorpusError extends Error {
  override readonly name = 'CorpusError'
  constructor(
    message: string,
    /** The import report so far, when the failure came after rows were read. */
    readonly report?: CorpusImportReport
  ) {
    super(message)
  }
}
