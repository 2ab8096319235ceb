import { ApiError } from './apiError.js'
import type { AppContract } from './appContract.js'
import type { Implementation } from './contract.js'
import type { PreviewPromptMode, PromptPreview } from './promptsContract.js'

export interface PromptPreviewRequest {
  personaId: string | undefined
  instructionId: string | undefined
  instructionText: string | undefined
  instructionKind: 'user' | 'moderator' | 'annotator' | undefined
  topicId: string | undefined
  mode: PreviewPromptMode
  historyLength: number
}

/** What the prompt methods need from core: `createPromptsPorts` meets it structurally. */
export interface PromptsPorts {
  hasWorkspace(): boolean
  /** Renders the preview; a record the request names that is missing is reported as `missing`. */
  previewPrompt(request: PromptPreviewRequest): Promise<PromptPreview | { missing: string }>
}

export type PromptsMethods = Pick<Implementation<AppContract>, 'prompts.preview'>

/** `prompts.preview` for both hosts, over core's prompt builders. */
export function createPromptsMethods(ports: PromptsPorts): PromptsMethods {
  return {
    'prompts.preview': async ({ personaId, instructionId, instructionText, instructionKind, topicId, mode, historyLength }) => {
      if (!ports.hasWorkspace()) throw new ApiError('no-workspace', 'No workspace is open. Open or create one first.')
      const result = await ports.previewPrompt({ personaId, instructionId, instructionText, instructionKind, topicId, mode, historyLength })
      if ('missing' in result) throw new ApiError('not-found', result.missing)
      return result
    }
  }
}
