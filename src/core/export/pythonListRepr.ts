/**
 * Python's `str()` of a list of strings, e.g. `['outgoing', "it's"]`: how SynDisco's CSV export
 * (pandas writing a list-valued column) rendered `personality_characteristics`, so scripts that
 * read those files with `ast.literal_eval` read this one too.
 */
export function pythonListRepr(items: readonly string[]): string {
  return `[${items.map(pythonStringRepr).join(', ')}]`
}

function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'"
  let out = quote
  for (const char of text) {
    const code = char.codePointAt(0)!
    if (char === '\\') out += '\\\\'
    else if (char === quote) out += `\\${quote}`
    else if (char === '\n') out += '\\n'
    else if (char === '\r') out += '\\r'
    else if (char === '\t') out += '\\t'
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`
    else out += char
  }
  return out + quote
}
