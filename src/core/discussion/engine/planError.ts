/** A plan that cannot be made from its inputs; `problems` lists every reason, one sentence each. */
export class PlanError extends Error {
  override readonly name = 'PlanError'
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? (problems[0] as string) : `the plan has ${problems.length} problems:\n- ${problems.join('\n- ')}`)
  }
}
