type JsonObject = Record<string, unknown>

/** Above this many values a bounded integer stays an integer (and relies on validate-and-retry). */
const MAX_ENUMERATED_INTEGERS = 256

const SUBSCHEMA_KEYS = ['items', 'additionalProperties', 'not', 'if', 'then', 'else'] as const
const SUBSCHEMA_LIST_KEYS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const
const SUBSCHEMA_MAP_KEYS = ['properties', '$defs', 'definitions'] as const

/**
 * A copy of a JSON schema that node-llama-cpp's grammar can enforce more of. Its GBNF ignores
 * `integer`-ness and `minimum`/`maximum` (an integer may come out as `64E335980`), so a bounded
 * integer with a small range (a 1–5 rating, a label index) becomes an enum of its values, which the
 * grammar does enforce. The output is still validated against the original schema afterwards.
 */
export function tightenJsonSchema<T>(schema: T): T {
  return tighten(schema) as T
}

function tighten(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tighten)
  if (!isObject(node)) return node
  const enumerated = boundedIntegerAsEnum(node)
  if (enumerated) return enumerated
  const copy: JsonObject = { ...node }
  for (const key of SUBSCHEMA_KEYS) if (key in copy) copy[key] = tighten(copy[key])
  for (const key of SUBSCHEMA_LIST_KEYS) if (Array.isArray(copy[key])) copy[key] = (copy[key] as unknown[]).map(tighten)
  for (const key of SUBSCHEMA_MAP_KEYS) {
    const map = copy[key]
    if (isObject(map)) copy[key] = Object.fromEntries(Object.entries(map).map(([name, sub]) => [name, tighten(sub)]))
  }
  return copy
}

function boundedIntegerAsEnum(node: JsonObject): JsonObject | undefined {
  if (node.type !== 'integer' || 'enum' in node || 'const' in node || 'multipleOf' in node) return undefined
  const low = lowerBound(node)
  const high = upperBound(node)
  if (low === undefined || high === undefined || high < low || high - low + 1 > MAX_ENUMERATED_INTEGERS) return undefined
  const values = Array.from({ length: high - low + 1 }, (_, offset) => low + offset)
  return typeof node.description === 'string' ? { description: node.description, enum: values } : { enum: values }
}

function lowerBound(node: JsonObject): number | undefined {
  const inclusive = typeof node.minimum === 'number' ? Math.ceil(node.minimum) : undefined
  const exclusive = typeof node.exclusiveMinimum === 'number' ? Math.floor(node.exclusiveMinimum) + 1 : undefined
  return maxDefined(inclusive, exclusive)
}

function upperBound(node: JsonObject): number | undefined {
  const inclusive = typeof node.maximum === 'number' ? Math.floor(node.maximum) : undefined
  const exclusive = typeof node.exclusiveMaximum === 'number' ? Math.ceil(node.exclusiveMaximum) - 1 : undefined
  const bounds = [inclusive, exclusive].filter((bound): bound is number => bound !== undefined)
  return bounds.length === 0 ? undefined : Math.min(...bounds)
}

function maxDefined(...values: (number | undefined)[]): number | undefined {
  const defined = values.filter((value): value is number => value !== undefined)
  return defined.length === 0 ? undefined : Math.max(...defined)
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
