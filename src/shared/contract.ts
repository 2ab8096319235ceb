import type { z } from 'zod'

/** One method of the contract: the schema of what goes in and of what comes back. */
export interface MethodSpec<Input extends z.ZodType = z.ZodType, Output extends z.ZodType = z.ZodType> {
  readonly input: Input
  readonly output: Output
}

/** A contract: method names (dotted, `area.verb`) mapped to their schemas. */
export type Contract = Readonly<Record<string, MethodSpec>>

export type MethodName<C extends Contract> = Extract<keyof C, string>

/** What a caller passes (before parsing: defaults may still be missing). */
export type InputOf<C extends Contract, M extends MethodName<C>> = z.input<C[M]['input']>

/** What a caller gets back (after parsing). */
export type OutputOf<C extends Contract, M extends MethodName<C>> = z.output<C[M]['output']>

/** The client every UI talks to, whatever the transport: `client['app.info']({})`. */
export type ApiClient<C extends Contract> = {
  readonly [M in MethodName<C>]: (input: InputOf<C, M>) => Promise<OutputOf<C, M>>
}

/** What a host provides: one function per method, given parsed input. */
export type Implementation<C extends Contract> = {
  readonly [M in MethodName<C>]: (
    input: z.output<C[M]['input']>
  ) => Promise<z.input<C[M]['output']>> | z.input<C[M]['output']>
}

/** Declares a contract; the object is frozen so that no transport can add methods to it. */
export function defineContract<const C extends Contract>(methods: C): C {
  for (const spec of Object.values(methods)) {
    Object.freeze(spec)
  }
  return Object.freeze(methods)
}

/** The contract's method names, in declaration order. */
export function methodNames<C extends Contract>(contract: C): MethodName<C>[] {
  return Object.keys(contract) as MethodName<C>[]
}

/** The contract's methods with their schemas, in declaration order. */
export function methodEntries<C extends Contract>(contract: C): [MethodName<C>, MethodSpec][] {
  return Object.entries(contract) as [MethodName<C>, MethodSpec][]
}

/** True only for the contract's own methods (never `toString`, `__proto__` and the like). */
export function isMethodOf<C extends Contract>(contract: C, method: unknown): method is MethodName<C> {
  return typeof method === 'string' && Object.hasOwn(contract, method)
}
