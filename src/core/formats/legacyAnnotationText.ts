/**
 * SDF stored annotations as free model text. Its analyses read them with `(\w+)=([-\d\.]+)`
 * (spec §4.1, §4.2); this reader accepts what that regex accepted plus the spellings models produce
 * around it (`Argument Quality=3`, `**Toxicity**: 4`, `- Toxicity: 4`). A bare number such as `2`
 * is deliberately not read: the original could not read it either, and researchers must see it.
 */
export interface LegacyAnnotationValues {
  values: Record<string, number | string>
  parsed: boolean
}

const NUMBER = String.raw`-?(?:\d+(?:\.\d*)?|\.\d+)`
// Anywhere in the text, as the original regex: `Toxicity=3`, `ArgumentQuality = 4`, `stance=agree`.
const INLINE = new RegExp(String.raw`(?<!\w)([A-Za-z_]\w*)\s*=\s*(?:(${NUMBER})(?!\w)|([A-Za-z][\w-]*)(?![\w/-]))`, 'gd')
// At the start of a line, after list or markdown decoration: `Argument Quality: 3`, `**Toxicity**: 4`.
const LINE = new RegExp(
  // Horizontal white space only, and no "_" after the key: either would let two parts of the
  // pattern claim the same characters and make long runs of them quadratic.
  String.raw`^[ \t>#*_-]*([A-Za-z][A-Za-z0-9_]*(?: [A-Za-z][A-Za-z0-9_]*){0,2})\**[ \t]*[:=][ \t*_]*(${NUMBER})(?![\w.])`,
  'gmd'
)

/** `Toxicity` → `toxicity`, `ArgumentQuality` and `Argument Quality` → `argument_quality`. */
export function normaliseLabelKey(key: string): string {
  return key
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[\s-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '')
    .toLowerCase()
}

export function parseLegacyAnnotationText(raw: string): LegacyAnnotationValues {
  // Keyed by where the value starts: `Argument Quality=3` also matches inline as `Quality=3`, and the
  // match starting earlier (the longer key) is the one the annotator meant.
  const byValue = new Map<number, { at: number; key: string; value: number | string }>()
  const add = (at: number, valueAt: number, key: string, value: number | string): void => {
    const known = byValue.get(valueAt)
    if (!known || at < known.at) byValue.set(valueAt, { at, key, value })
  }
  for (const match of raw.matchAll(INLINE)) {
    const [, key, number, word] = match
    const valueAt = match.indices?.[2]?.[0] ?? match.indices?.[3]?.[0]
    if (key === undefined || valueAt === undefined) continue
    add(match.index, valueAt, key, number !== undefined ? Number(number) : (word as string))
  }
  for (const match of raw.matchAll(LINE)) {
    const [, key, number] = match
    const keyAt = match.indices?.[1]?.[0]
    const valueAt = match.indices?.[2]?.[0]
    if (key === undefined || number === undefined || keyAt === undefined || valueAt === undefined) continue
    add(keyAt, valueAt, key, Number(number))
  }
  // Later occurrences win, as Python's `dict(re.findall(...))` did.
  const found = [...byValue.values()].sort((a, b) => a.at - b.at)
  const values: Record<string, number | string> = {}
  for (const { key, value } of found) {
    const name = normaliseLabelKey(key)
    if (name === '' || name === '__proto__') continue
    values[name] = value
  }
  return { values, parsed: Object.keys(values).length > 0 }
}
