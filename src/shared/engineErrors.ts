import { ApiError, type ApiErrorCode } from './apiError.js'

/** How a host's ports name an engine error for the user; null: not one they know. */
export type DescribeEngineError = (error: unknown) => { code: ApiErrorCode; message: string; details?: unknown } | null

/**
 * Runs a method's work and turns the engine errors the ports know (a bad design, a missing record,
 * a busy model…) into typed `ApiError`s; unknown errors go on as they are (the handler table
 * answers them as `internal`).
 */
export async function withEngineErrors<T>(describe: DescribeEngineError, work: () => Promise<T> | T): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof ApiError) throw error
    const known = describe(error)
    if (known !== null) throw new ApiError(known.code, known.message, known.details)
    throw error
  }
}
