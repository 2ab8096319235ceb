import type { ExperimentDesign } from './experimentDesign.js'

export interface DesignCounts {
  /** Levels per crossed factor. */
  levels: {
    topics: number
    user_instructions: number
    moderator_instructions: number
    turn_policies: number
    models: number
    prompt_modes: number
  }
  /** Factor combinations: their product when crossed, the sample size when sampled. */
  cells: number
  replicates: number
  discussions: number
}

export function countDesign(design: ExperimentDesign): DesignCounts {
  const { factors } = design
  const levels = {
    topics: factors.topics.length,
    user_instructions: factors.user_instructions.length,
    moderator_instructions: factors.moderator_instructions.length,
    turn_policies: factors.turn_policies.length,
    models: factors.models.length,
    prompt_modes: factors.prompt_modes.length
  }
  const cells =
    design.mode.kind === 'cross' ? Object.values(levels).reduce((product, count) => product * count, 1) : design.mode.count
  return { levels, cells, replicates: design.replicates, discussions: cells * design.replicates }
}
