import { z } from 'zod'

export type JsonOutputCheck = { ok: true; value: unknown } | { ok: false; reason: string }
export type JsonOutputValidator = (text: string) => JsonOutputCheck

/**
 * Parses model output and checks it against the request's JSON schema: constrained decoding alone
 * does not guarantee a valid value (the grammar skips integer-ness, bounds and lengths). The schema
 * is converted with zod's `fromJSONSchema`; a schema zod cannot convert falls back to `fallback`
 * (node-llama-cpp's own, weaker, check) rather than failing every request.
 */
export function compileJsonValidator(
  schema: Record<string, unknown>,
  fallback?: (value: unknown) => void
): JsonOutputValidator {
  let zodSchema: z.ZodType | undefined
  try {
    zodSchema = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0])
  } catch {
    zodSchema = undefined
  }
  return (text) => {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      return { ok: false, reason: `not JSON: ${(error as Error).message}` }
    }
    if (zodSchema) {
      const result = zodSchema.safeParse(value)
      return result.success ? { ok: true, value } : { ok: false, reason: z.prettifyError(result.error) }
    }
    try {
      fallback?.(value)
      return { ok: true, value }
    } catch (error) {
      return { ok: false, reason: (error as Error).message }
    }
  }
}
