/**
 * SDF rendered lists with Python's `str()` (`['a', "it's"]`) and SynDisco wrote prompts with
 * `json.dumps` (`", "` separators, non-ASCII as `\uXXXX`). Reading the first and writing the second
 * exactly keeps recovered personas faithful and exported prompts indistinguishable from SynDisco's.
 */

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0'
}

const HEX_ESCAPE_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 }

/** Reads one quoted Python string literal at `start`; returns the value and the index after it, or null. */
function readQuoted(text: string, start: number): { value: string; end: number } | null {
  const quote = text[start]
  if (quote !== "'" && quote !== '"') return null
  let value = ''
  let i = start + 1
  while (i < text.length) {
    const ch = text[i] as string
    if (ch === quote) return { value, end: i + 1 }
    if (ch !== '\\') {
      value += ch
      i += 1
      continue
    }
    const next = text[i + 1]
    if (next === undefined) return null
    const hexLength = HEX_ESCAPE_LENGTH[next]
    if (hexLength !== undefined) {
      const hex = text.slice(i + 2, i + 2 + hexLength)
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== hexLength) return null
      const code = Number.parseInt(hex, 16)
      if (code > 0x10ffff) return null
      value += String.fromCodePoint(code)
      i += 2 + hexLength
      continue
    }
    const simple = SIMPLE_ESCAPES[next]
    // Python keeps unknown escapes as written (`'\d'` is backslash-d).
    value += simple ?? `\\${next}`
    i += 2
  }
  return null
}

/** `"['a', 'b']"` → `['a', 'b']`; null when the text is not exactly a Python list of string literals. */
export function parsePythonStringList(text: string): string[] | null {
  const src = text.trim()
  if (!src.startsWith('[') || !src.endsWith(']')) return null
  const items: string[] = []
  let i = 1
  const skipSpaces = (): void => {
    while (src[i] === ' ') i += 1
  }
  skipSpaces()
  if (src[i] === ']') return i === src.length - 1 ? items : null
  for (;;) {
    skipSpaces()
    const item = readQuoted(src, i)
    if (!item) return null
    items.push(item.value)
    i = item.end
    skipSpaces()
    if (src[i] === ',') {
      i += 1
      continue
    }
    return src[i] === ']' && i === src.length - 1 ? items : null
  }
}

/** Python's `ensure_ascii`: everything outside printable ASCII (DEL included) as `\uXXXX`. */
function escapeNonAscii(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

function dumpString(value: string): string {
  // JSON.stringify already escapes quotes, controls and lone surrogates like Python.
  return escapeNonAscii(JSON.stringify(value))
}

/**
 * Python's `json.dump(value, f, indent=4)` with its default `ensure_ascii=True`: the layout of
 * `JSON.stringify(value, null, 4)` with non-ASCII escaped, and no trailing newline. Whole numbers
 * are written as ints: JSON cannot carry Python's `29.0`.
 */
export function pythonJsonDump(value: unknown): string {
  return escapeNonAscii(JSON.stringify(value, null, 4))
}

/** `json.dumps(value)` with Python's defaults (`ensure_ascii=True`, separators `", "` and `": "`). */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return dumpString(value)
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    return `{${entries.map(([k, v]) => `${dumpString(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`
  }
  return 'null'
}
