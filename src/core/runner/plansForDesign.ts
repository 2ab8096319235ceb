import type { ExperimentDesign, ExperimentDesignInput } from '../design/experimentDesign.js'
import { loadDesignCorpora } from '../corpus/loadDesignCorpora.js'
import { expandDesign } from '../design/expandDesign.js'
import type { DiscussionPlan } from '../discussion/engine/discussionPlan.js'
import { planFromSpec, type PlanLibrary } from '../discussion/engine/planFromSpec.js'
import type { Workspace } from '../workspace/workspace.js'

/** The workspace's personas, topics and instructions (records that do not parse are left out). */
export async function loadPlanLibrary(workspace: Workspace): Promise<PlanLibrary> {
  const [personas, topics, instructions] = await Promise.all([
    workspace.personas.list(),
    workspace.topics.list(),
    workspace.instructions.list()
  ])
  return { personas: personas.items, topics: topics.items, instructions: instructions.items }
}

/** Every discussion of a design as a plan, in expansion order. Throws DesignError or PlanError. */
export async function plansForDesign(
  workspace: Workspace,
  input: ExperimentDesign | ExperimentDesignInput
): Promise<{ design: ExperimentDesign; plans: DiscussionPlan[] }> {
  const library = await loadPlanLibrary(workspace)
  const corpora = await loadDesignCorpora(workspace, input as { factors: { seed_source?: { corpus_id: string } } })
  const { design, discussions } = expandDesign(input, { ...library, corpora })
  return { design, plans: discussions.map((spec) => planFromSpec(spec, library)) }
}
