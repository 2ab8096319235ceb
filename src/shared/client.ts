import { ApiError, issueDetails } from './apiError.js'
import { ApiResultSchema } from './apiResult.js'
import { methodEntries, type ApiClient, type Contract } from './contract.js'
import { dispatch, type HandlerTable } from './handlerTable.js'

/** Carries one call to a host and brings back its raw result envelope (see `ApiResult`). */
export type Transport = (method: string, input: unknown) => Promise<unknown>

/**
 * Builds the typed client over any transport (IPC, WebSocket, in-process). Input is checked before
 * it leaves and output again when it arrives; failures reject with `ApiError`.
 */
export function createClient<C extends Contract>(contract: C, transport: Transport): ApiClient<C> {
  const client: Record<string, (input: unknown) => Promise<unknown>> = {}
  for (const [method, spec] of methodEntries(contract)) {
    client[method] = async (input) => {
      const parsedInput = await spec.input.safeParseAsync(input)
      if (!parsedInput.success) {
        throw new ApiError('invalid-input', `invalid input for ${method}`, issueDetails(parsedInput.error))
      }
      let raw: unknown
      try {
        raw = await transport(method, parsedInput.data)
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        throw new ApiError('transport', `${method} failed in transit: ${message}`)
      }
      const envelope = ApiResultSchema.safeParse(raw)
      if (!envelope.success) {
        throw new ApiError('transport', `${method} came back without a result envelope`, issueDetails(envelope.error))
      }
      if (!envelope.data.ok) {
        throw ApiError.fromShape(envelope.data.error)
      }
      const output = await spec.output.safeParseAsync(envelope.data.value)
      if (!output.success) {
        throw new ApiError('invalid-output', `invalid output from ${method}`, issueDetails(output.error))
      }
      return output.data
    }
  }
  return Object.freeze(client) as ApiClient<C>
}

/** A client that calls a handler table directly: for tests and for hosts that run in one process. */
export function createInProcessClient<C extends Contract>(contract: C, table: HandlerTable<C>): ApiClient<C> {
  return createClient(contract, (method, input) => dispatch(contract, table, method, input))
}

/** A client whose every call rejects with `unavailable` and the given explanation. */
export function createUnavailableClient<C extends Contract>(contract: C, message: string): ApiClient<C> {
  return createClient(contract, async () => ({ ok: false, error: { code: 'unavailable', message } }))
}
