/**
 * Python's `str()` and `repr()` for the values a persona holds, because SDF rendered attributes as
 * `f"{field}: {value}"` (spec §1.1): a list shows as its repr, `['outgoing', "it's"]`.
 *
 * JSON cannot tell `29` from `29.0`; whole numbers are treated as Python ints (what SDF's persona
 * files hold), other numbers as floats.
 */
export type PythonValue = string | number | boolean | null | readonly PythonValue[]

export function pythonStr(value: PythonValue): string {
  return typeof value === 'string' ? value : pythonRepr(value)
}

export function pythonRepr(value: PythonValue): string {
  if (value === null) return 'None'
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'number') return Number.isInteger(value) ? pythonIntStr(value) : pythonFloatRepr(value)
  if (typeof value === 'string') return pythonStringRepr(value)
  return `[${value.map(pythonRepr).join(', ')}]`
}

function pythonIntStr(value: number): string {
  // JavaScript switches to exponent notation at 1e21; a Python int never does.
  return Object.is(value, -0) ? '0' : BigInt(value).toString()
}

/** `repr(float)`: shortest round-trip digits, fixed notation for exponents -4..15, else `1e-05` style. */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan'
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf'
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0'
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e')
  const exponent = Number(exponentText)
  const sign = mantissa.startsWith('-') ? '-' : ''
  const digits = mantissa.replace('-', '').replace('.', '')
  if (exponent < -4 || exponent >= 16) {
    const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
    const magnitude = String(Math.abs(exponent)).padStart(2, '0')
    return `${sign}${head}e${exponent < 0 ? '-' : '+'}${magnitude}`
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0')
  const fraction = digits.slice(exponent + 1)
  return `${sign}${whole}.${fraction === '' ? '0' : fraction}`
}

// Python's str.isprintable() is false for these categories (the space character excepted).
const NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u

const hex = (code: number, digits: number): string => code.toString(16).padStart(digits, '0')

/**
 * `repr(str)`: single quotes unless the text has a single quote and no double quote; backslashes,
 * the chosen quote, `\t \n \r` and unprintable characters escaped as CPython does.
 */
export function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'"
  let out = quote
  for (const char of text) {
    const code = char.codePointAt(0) as number
    if (char === quote || char === '\\') out += `\\${char}`
    else if (char === '\t') out += '\\t'
    else if (char === '\n') out += '\\n'
    else if (char === '\r') out += '\\r'
    else if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`
    else if (code < 0x7f || !NOT_PRINTABLE.test(char)) out += char
    else if (code <= 0xff) out += `\\x${hex(code, 2)}`
    else if (code <= 0xffff) out += `\\u${hex(code, 4)}`
    else out += `\\U${hex(code, 8)}`
  }
  return out + quote
}
