import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { DiscussionPlanSchema, type DiscussionPlan } from '../discussion/engine/discussionPlan.js'
import { describeZodError } from '../schema/describeZodError.js'
import { IdSchema } from '../schema/ids.js'
import { writeJsonAtomically } from '../workspace/atomicFile.js'

/** `runs/<run_id>/plans.json`: every discussion of the run, fully resolved, so a resume needs nothing else. */
export const RunPlansFileSchema = z.object({
  format: z.literal('sdf-studio-run-plans'),
  version: z.literal(1),
  run_id: IdSchema,
  plans: z.array(DiscussionPlanSchema)
})
export type RunPlansFile = z.infer<typeof RunPlansFileSchema>

export async function writeRunPlans(path: string, runId: string, plans: readonly DiscussionPlan[]): Promise<void> {
  const file: RunPlansFile = { format: 'sdf-studio-run-plans', version: 1, run_id: runId, plans: [...plans] }
  await writeJsonAtomically(path, file)
}

export async function readRunPlans(path: string): Promise<DiscussionPlan[]> {
  let data: unknown
  try {
    data = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new RunNotFoundError(path)
    throw new Error(`${path}: not valid JSON (${(error as Error).message})`)
  }
  const parsed = RunPlansFileSchema.safeParse(data)
  if (!parsed.success) throw new Error(`${path}: not a run plans file: ${describeZodError(parsed.error)}`)
  return parsed.data.plans
}

export class RunNotFoundError extends Error {
  override readonly name = 'RunNotFoundError'
  constructor(readonly plansPath: string) {
    super(`no run at ${plansPath.replace(/[\\/]plans\.json$/, '')} (its plans.json is missing)`)
  }
}
