import type { TurnPolicy } from './turnPolicy.js'
import { everyoneBut, lastSpeaker, type TurnState } from './turnState.js'

/** Round robin continues after the last speaker; before any turn it starts with the first name. */
export function roundRobinNext(state: TurnState): string | undefined {
  const last = lastSpeaker(state)
  const at = last === undefined ? -1 : state.participants.indexOf(last)
  if (at < 0) return undefined
  return state.participants[(at + 1) % state.participants.length]
}

/**
 * The names the policy could pick next, in participant order. For `llm-chosen` this is the list the
 * engine turns into a grammar; for the others it says who has any chance at all (a round-robin list
 * has one name once the cycle has started).
 */
export function allowedNextSpeakers(policy: TurnPolicy, state: TurnState): string[] {
  const last = lastSpeaker(state)
  switch (policy.kind) {
    case 'round-robin': {
      const next = roundRobinNext(state)
      if (next !== undefined) return [next]
      return policy.random_first_speaker ? [...state.participants] : state.participants.slice(0, 1)
    }
    case 'llm-chosen':
      return policy.allow_repeat ? [...state.participants] : everyoneBut(state, last)
    case 'random':
    case 'respond':
    case 'sdf-v0-random-weighted':
      return everyoneBut(state, last)
  }
}
