import { z } from 'zod'
import { ApiErrorShapeSchema, type ApiErrorShape } from './apiError.js'

/**
 * What travels back over a transport: a value or a typed error. Errors are sent as values because
 * Electron's `ipcRenderer.invoke` keeps only the message of a thrown error, not its code.
 */
export const ApiResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiErrorShapeSchema })
])

export type ApiResult = z.infer<typeof ApiResultSchema>

export function success(value: unknown): ApiResult {
  return { ok: true, value }
}

export function failure(error: ApiErrorShape): ApiResult {
  return { ok: false, error }
}
