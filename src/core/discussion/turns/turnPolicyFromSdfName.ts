import type { TurnPolicy } from './turnPolicy.js'

/** The text SDF v0's `turn_manager_factory` raised (spec §2.3), with the name lower-cased as SDF did. */
export function unknownTurnManagerMessage(name: string): string {
  return `There is no turn manager option called ${name.toLowerCase()}\nValid values: round_robin, random_weighted`
}

/** An SDF / SynDisco turn-manager name that no policy answers to. */
export class UnknownTurnManagerError extends Error {
  override readonly name = 'UnknownTurnManagerError'
  constructor(readonly managerName: string) {
    super(
      `${unknownTurnManagerMessage(managerName)}\n` +
        '(SDF Studio also accepts SynDisco 2.2 names: queue, respond, random)'
    )
  }
}

function probability(config: Readonly<Record<string, unknown>>, key: string): number | null {
  const value = config[key]
  return typeof value === 'number' ? value : null
}

/**
 * Maps the names SDF configs (`turn_manager_type`, case-insensitive like SDF's factory) and SynDisco
 * 2.2 (`queue`, `respond`, `random`) used. `"round robin"` with a space is rejected, as SDF rejected it.
 * `random_weighted` becomes the SDF-v0 policy that reproduces what SDF actually did (its
 * respond_probability is kept but has no effect); `respond` takes `p_respond` or `respond_probability`
 * (SynDisco's default 0.5 when neither is given).
 */
export function turnPolicyFromSdfName(name: string, config: Readonly<Record<string, unknown>> = {}): TurnPolicy {
  switch (name.toLowerCase()) {
    case 'round_robin':
      return { kind: 'round-robin', random_first_speaker: false }
    case 'queue':
      return { kind: 'round-robin', random_first_speaker: config.randomize_first_speaker === true }
    case 'random_weighted':
      return { kind: 'sdf-v0-random-weighted', respond_probability: probability(config, 'respond_probability') }
    case 'respond': {
      const p = probability(config, 'p_respond') ?? probability(config, 'respond_probability') ?? 0.5
      if (!(p >= 0 && p <= 1)) throw new RangeError(`p_respond must be between 0 and 1, but is ${p}`)
      return { kind: 'respond', p_respond: p }
    }
    case 'random':
      return { kind: 'random' }
    default:
      throw new UnknownTurnManagerError(name)
  }
}
