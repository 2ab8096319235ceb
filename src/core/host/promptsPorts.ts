import { placeTopic } from '../discussion/engine/planFromSpec.js'
import { historyWindow, seedHistoryEntries } from '../discussion/prompts/historyEntry.js'
import { PromptModeSchema, type PromptMode } from '../discussion/prompts/promptMode.js'
import type { PromptInput } from '../discussion/prompts/promptInput.js'
import { renderPromptPreview } from '../discussion/prompts/renderSpeakerPrompt.js'
import { SDF_DEFAULT_MODERATOR_ATTRIBUTES, SDF_DEFAULT_MODERATOR_NAME } from '../discussion/prompts/sdfStrings.js'
import { PersonaSnapshotSchema } from '../schema/persona.js'
import type { Workspace } from '../workspace/workspace.js'

export interface PromptsPortsOptions {
  workspace(): Workspace | null
}

export interface PromptPreviewRequest {
  personaId: string | undefined
  instructionId: string | undefined
  instructionText: string | undefined
  instructionKind: 'user' | 'moderator' | 'annotator' | undefined
  topicId: string | undefined
  mode: 'sdf-v0' | 'sdf-v0.1' | 'modern'
  historyLength: number
}

/** The speaker name a preview uses when no persona is chosen. */
export const PREVIEW_ANONYMOUS_USER = 'user'

/**
 * Core's prompt builders as the ports of shared's `createPromptsMethods`: the preview goes through
 * the same `placeTopic` and `renderSpeakerPrompt` a run does, with the topic's seed comments as the
 * history the speaker sees on its first turn.
 */
export function createPromptsPorts(options: PromptsPortsOptions) {
  return {
    hasWorkspace: () => options.workspace() !== null,

    async previewPrompt(request: PromptPreviewRequest) {
      const workspace = options.workspace()
      if (workspace === null) throw new Error('no workspace is open')
      const [persona, instruction, topic] = await Promise.all([
        request.personaId === undefined ? undefined : workspace.personas.get(request.personaId),
        request.instructionId === undefined ? undefined : workspace.instructions.get(request.instructionId),
        request.topicId === undefined ? undefined : workspace.topics.get(request.topicId)
      ])
      if (request.personaId !== undefined && persona === undefined) return { missing: `There is no persona "${request.personaId}" in this workspace.` }
      if (request.instructionId !== undefined && instruction === undefined) {
        return { missing: `There are no instructions "${request.instructionId}" in this workspace.` }
      }
      if (request.topicId !== undefined && topic === undefined) return { missing: `There is no topic "${request.topicId}" in this workspace.` }

      const mode: PromptMode = PromptModeSchema.parse({ kind: request.mode })
      const placement = topic === undefined ? { context: '', topic: null, seed_comments: [] } : placeTopic(mode, topic)
      const history = historyWindow(seedHistoryEntries(placement.seed_comments), request.historyLength)
      const kind = request.instructionKind ?? instruction?.kind
      const role: 'user' | 'moderator' = kind === 'moderator' ? 'moderator' : 'user'
      const instructions = request.instructionText ?? instruction?.text ?? ''
      const common = { role, context: placement.context, topic: placement.topic, history, instructions } as const
      let input: PromptInput
      if (persona !== undefined) {
        input = { ...common, name: persona.username, persona: PersonaSnapshotSchema.parse(persona) }
      } else if (role === 'moderator') {
        input = { ...common, name: SDF_DEFAULT_MODERATOR_NAME, attributes: SDF_DEFAULT_MODERATOR_ATTRIBUTES }
      } else {
        input = { ...common, name: PREVIEW_ANONYMOUS_USER, attributes: [] }
      }
      const preview = renderPromptPreview(mode, input)
      return {
        role,
        speaker: input.name,
        system: preview.system,
        prompt: preview.user,
        rawPrompt: preview.rawPrompt,
        promptFormat: preview.promptFormat,
        stop: preview.stop
      }
    }
  }
}
