/** The id rule core enforces (ids are file names): letters, digits, ".", "_" or "-", from a letter or digit. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/

/** A readable id base from a name: `Ada Lovelace (troll)` → `ada-lovelace-troll`. */
export function slugForId(name: string, fallback = 'record'): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '')
  return slug === '' ? fallback : slug
}

/**
 * A fresh id for a new record named `name`, unlike every id in `taken`: the slug, then `-2`, `-3`…
 * Starter ids begin with `example-`; a user's own record never takes that prefix, so it is never
 * mistaken for (or removed with) the examples.
 */
export function newRecordId(name: string, taken: Iterable<string>, fallback = 'record'): string {
  const used = new Set(taken)
  let base = slugForId(name, fallback)
  if (base.startsWith('example-')) base = `my-${base}`.slice(0, 80)
  if (!used.has(base)) return base
  for (let n = 2; ; n += 1) {
    const candidate = `${base}-${n}`
    if (!used.has(candidate)) return candidate
  }
}

export function isValidRecordId(id: string): boolean {
  return ID_PATTERN.test(id) && !id.includes('..')
}
