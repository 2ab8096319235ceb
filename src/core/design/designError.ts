/** A design that cannot be expanded; `problems` lists every reason, one sentence each. */
export class DesignError extends Error {
  override readonly name = 'DesignError'
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? (problems[0] as string) : `the design has ${problems.length} problems:\n- ${problems.join('\n- ')}`)
  }
}
