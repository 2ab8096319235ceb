import type { SeededRandom } from '../../random/index.js'
import { allowedNextSpeakers, roundRobinNext } from './allowedNextSpeakers.js'
import type { TurnPolicy } from './turnPolicy.js'
import { everyoneBut, lastSpeaker, type TurnState } from './turnState.js'

/**
 * The next speaker under `policy`. Draws only from `random`; an engine that passes a stream forked
 * per turn (`turns.fork(turnIndex)`) can replay any turn after a crash from the journal alone.
 * Always returns one of `state.participants`.
 */
export function chooseNextSpeaker(policy: TurnPolicy, state: TurnState, random: SeededRandom): string {
  if (state.participants.length === 0) throw new RangeError('a discussion needs at least one participant')
  const last = lastSpeaker(state)
  switch (policy.kind) {
    case 'round-robin': {
      // Continuing after the last speaker keeps the policy stateless, so per-turn streams work.
      const next = roundRobinNext(state)
      if (next !== undefined) return next
      return policy.random_first_speaker ? random.pick(state.participants) : (state.participants[0] as string)
    }
    case 'random':
      // SynDisco's RandomTurnManager (= Respond with p = 0): the first pick is from everyone.
      return random.pick(everyoneBut(state, last))
    case 'respond':
      return chooseResponder(policy.p_respond, state, random)
    case 'sdf-v0-random-weighted':
      // SDF v0 always took its "first call" branch: never the previous speaker, and no coin flip at
      // all, so respond_probability neither matters nor consumes a draw (spec §2.3).
      return random.pick(everyoneBut(state, last))
    case 'llm-chosen':
      // Only the fallback: the engine asks the model and uses this when the answer is unusable.
      return random.pick(allowedNextSpeakers(policy, state))
  }
}

/** SynDisco 2.1.1+ RespondTurnManager, draw for draw in the same order (coin first, then the pick). */
function chooseResponder(pRespond: number, state: TurnState, random: SeededRandom): string {
  const count = state.previous.length
  const last = lastSpeaker(state)
  if (count === 0) return random.pick(state.participants)
  if (count === 1) return random.pick(everyoneBut(state, last))
  const repliedTo = state.previous[count - 2] as string
  const respond = random.chance(pRespond)
  // Under this policy the two are never equal; an engine-made state could make them so, and then a
  // "reply" would be the last speaker talking twice, which this policy promises never happens.
  if (respond && repliedTo !== last && state.participants.includes(repliedTo)) return repliedTo
  return random.pick(everyoneBut(state, last))
}
