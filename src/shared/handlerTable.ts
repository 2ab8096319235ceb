import { ApiError, issueDetails, toApiErrorShape } from './apiError.js'
import { failure, success, type ApiResult } from './apiResult.js'
import { isMethodOf, methodEntries, methodNames, type Contract, type Implementation, type MethodName, type OutputOf } from './contract.js'

/** One handler per contract method: takes raw (untrusted) input, returns parsed output or throws `ApiError`. */
export type HandlerTable<C extends Contract> = {
  readonly [M in MethodName<C>]: (rawInput: unknown) => Promise<OutputOf<C, M>>
}

/**
 * Builds the table a host dispatches through: each handler parses its input with the method's
 * schema, calls the implementation, and parses the output, so neither side of the boundary ever
 * sees an unchecked payload. The table has exactly the contract's methods.
 */
export function createHandlerTable<C extends Contract>(contract: C, implementation: Implementation<C>): HandlerTable<C> {
  const missing = methodNames(contract).filter((method) => typeof implementation[method] !== 'function')
  if (missing.length > 0) {
    throw new Error(`the implementation lacks contract methods: ${missing.join(', ')}`)
  }
  const table: Record<string, (rawInput: unknown) => Promise<unknown>> = {}
  for (const [method, spec] of methodEntries(contract)) {
    const implement = implementation[method] as (input: unknown) => unknown
    table[method] = async (rawInput) => {
      const input = await spec.input.safeParseAsync(rawInput)
      if (!input.success) {
        throw new ApiError('invalid-input', `invalid input for ${method}`, issueDetails(input.error))
      }
      const result = await implement(input.data)
      const output = await spec.output.safeParseAsync(result)
      if (!output.success) {
        throw new ApiError('invalid-output', `invalid output from ${method}`, issueDetails(output.error))
      }
      return output.data
    }
  }
  return Object.freeze(table) as HandlerTable<C>
}

/**
 * Runs one call from a transport and never throws: an unknown method, a bad payload or a failing
 * implementation all come back as a typed error in the result envelope.
 */
export async function dispatch<C extends Contract>(
  contract: C,
  table: HandlerTable<C>,
  method: unknown,
  rawInput: unknown
): Promise<ApiResult> {
  if (!isMethodOf(contract, method)) {
    const name = typeof method === 'string' ? JSON.stringify(method) : `a ${typeof method}`
    return failure({ code: 'unknown-method', message: `the API has no method ${name}` })
  }
  try {
    const handler = table[method] as (rawInput: unknown) => Promise<unknown>
    return success(await handler(rawInput))
  } catch (error) {
    return failure(toApiErrorShape(error))
  }
}
