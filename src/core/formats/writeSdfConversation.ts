import type { Discussion, Participant } from '../schema/index.js'
import { pythonJsonDumps } from './pythonLiterals.js'
import {
  SDF_STUDIO_DISCUSSION,
  SDF_STUDIO_EXPORT_VERSION,
  type StudioDiscussionExtras
} from './sdfStudioExtras.js'
import { toSdfPersona } from './writeSdfPersona.js'

export interface SdfLogEntryJson {
  name: string
  text: string
  model: string | null
}

/** The v0.2 / SynDisco 2.0 conversation schema (spec §1.7) plus SDF Studio's `sdf_studio` key. */
export interface SdfConversationJson {
  id: string
  timestamp: string | null
  users: string[]
  moderator: string | null
  user_prompts: string[]
  moderator_prompt: string | null
  ctx_length: number | null
  logs: SdfLogEntryJson[]
  sdf_studio: StudioDiscussionExtras
}

/**
 * The stored system prompt, or SynDisco 2.0's JSON prompt when none was stored, so that SynDisco's
 * postprocessing (`json.loads(prompt)["persona"]`) finds the persona. Type "1" is its USER actor type,
 * which its moderators had too.
 */
function promptOf(participant: Participant, context: string | null): string {
  if (participant.system_prompt !== null) return participant.system_prompt
  return pythonJsonDumps({
    context: context ?? '',
    instructions: '',
    type: '1',
    persona: toSdfPersona(participant.persona)
  })
}

function clone<T>(value: T): T {
  return structuredClone(value)
}

/** A discussion as a SynDisco 2.0 conversation file; serialise with `JSON.stringify(x, null, 4)`. */
export function toSdfConversation(discussion: Omit<Discussion, 'source'>): SdfConversationJson {
  const users = discussion.participants.filter((p) => p.role === 'user')
  const moderator =
    discussion.moderator === null ? undefined : discussion.participants.find((p) => p.username === discussion.moderator)
  return {
    id: discussion.id,
    timestamp: discussion.timestamp,
    users: users.map((p) => p.username),
    moderator: discussion.moderator,
    user_prompts: users.map((p) => promptOf(p, discussion.context)),
    moderator_prompt: moderator ? promptOf(moderator, discussion.context) : null,
    ctx_length: discussion.history_ctx_len,
    logs: discussion.comments.map((comment) => ({
      name: comment.author,
      text: comment.text,
      // SDF marked seed opinions with this pseudo-model; analyses filter on it.
      model: comment.role === 'seed' ? 'hardcoded' : comment.model
    })),
    sdf_studio: {
      format: SDF_STUDIO_DISCUSSION,
      version: SDF_STUDIO_EXPORT_VERSION,
      status: discussion.status,
      context: discussion.context,
      topic_id: discussion.topic_id,
      config_id: discussion.config_id,
      run_id: discussion.run_id,
      conditions: discussion.conditions,
      extra: clone(discussion.extra),
      participants: clone(discussion.participants),
      comments: discussion.comments.map(({ author: _author, text: _text, ...rest }) => clone(rest))
    }
  }
}
