/**
 * What a turn policy may look at. `previous` holds the speakers the policy picked before, oldest
 * first, silent turns included: SDF's and SynDisco's managers tracked their own picks, whether or not
 * the pick then said anything. Moderators and seed authors are not in it unless the engine chooses to
 * add them. Keeping the state this small lets a resumed run rebuild it from the journal.
 */
export interface TurnState {
  readonly participants: readonly string[]
  readonly previous: readonly string[]
}

export function initialTurnState(participants: readonly string[]): TurnState {
  if (participants.length === 0) throw new RangeError('a discussion needs at least one participant')
  if (new Set(participants).size !== participants.length) {
    throw new RangeError(`participant names must be unique, got ${participants.join(', ')}`)
  }
  return { participants: [...participants], previous: [] }
}

export function recordTurn(state: TurnState, speaker: string): TurnState {
  return { participants: state.participants, previous: [...state.previous, speaker] }
}

export function lastSpeaker(state: TurnState): string | undefined {
  return state.previous[state.previous.length - 1]
}

/** Everyone but `excluded`; everyone when that would leave nobody (a one-person discussion). */
export function everyoneBut(state: TurnState, excluded: string | undefined): string[] {
  const others = state.participants.filter((name) => name !== excluded)
  return others.length > 0 ? others : [...state.participants]
}
