import { ApiError } from './apiError.js'
import type { AppContract } from './appContract.js'
import type { Implementation } from './contract.js'
import type { CorpusImportReport, CorpusMapping, CorpusPage, CorpusSummary } from './corpusContract.js'
import { withEngineErrors } from './engineErrors.js'

/** Core's corpora behind the methods; core's `createCorpusPorts` builds them for a host. */
export interface CorpusPorts {
  hasWorkspace(): boolean
  describeError(error: unknown): { code: 'invalid-input' | 'not-found'; message: string; details?: unknown } | null
  importCorpus(input: {
    fileName: string
    bytes: Uint8Array
    name: string
    format?: 'csv' | 'jsonl' | undefined
    mapping?: CorpusMapping | undefined
    replace: boolean
    discussions: boolean
  }): Promise<{ corpus: CorpusSummary; report: CorpusImportReport; discussions: number }>
  list(): Promise<{ items: CorpusSummary[]; problems: { file: string; message: string }[] }>
  browse(corpusId: string, page: { offset: number; limit: number; threadId?: string | undefined }): Promise<CorpusPage>
}

export type CorpusMethods = Pick<Implementation<AppContract>, 'corpus.import' | 'corpus.list' | 'corpus.browse'>

const NO_WORKSPACE = 'No workspace is open. Open or create one first.'
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** The file name without folders and its last extension: the corpus's default name. */
function nameFromFile(fileName: string): string {
  const base = fileName.split(/[/\\]/).pop() ?? fileName
  return base.replace(/\.[^.]*$/, '') || base
}

/** Base64 to bytes without Node's Buffer (shared runs in the renderer too). */
function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '')
  if (clean.length % 4 !== 0 || !BASE64.test(clean)) {
    throw new ApiError('invalid-input', 'content is not valid base64; send the file as text, or encode it as base64 with encoding "base64".')
  }
  const binary = atob(clean)
  const bytes = new Uint8Array(binary.length)
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index)
  return bytes
}

/** The corpus methods, written once for both hosts over core's corpus store. */
export function createCorpusMethods(ports: CorpusPorts): CorpusMethods {
  async function guarded<T>(work: () => Promise<T>): Promise<T> {
    if (!ports.hasWorkspace()) throw new ApiError('no-workspace', NO_WORKSPACE)
    return withEngineErrors((error) => ports.describeError(error), work)
  }

  return {
    'corpus.import': ({ fileName, content, encoding, name, format, mapping, replace, discussions }) =>
      guarded(() =>
        ports.importCorpus({
          fileName,
          bytes: encoding === 'base64' ? decodeBase64(content) : new TextEncoder().encode(content),
          name: name ?? nameFromFile(fileName),
          format,
          mapping,
          replace,
          discussions
        })
      ),
    'corpus.list': () => guarded(() => ports.list()),
    'corpus.browse': ({ corpusId, offset, limit, threadId }) => guarded(() => ports.browse(corpusId, { offset, limit, threadId }))
  }
}
