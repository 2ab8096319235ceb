/** One cell of RFC 4180 CSV: quoted when it holds a comma, quote or line break; null and undefined are empty. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value)
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * The CSV of a chart's rows: a header of `columns` (by default every key, in first-seen order) and
 * one line per row, CRLF-separated as RFC 4180 says, so spreadsheets open it as it is.
 */
export function rowsToCsv(rows: readonly object[], columns?: readonly string[]): string {
  const header = columns ?? columnsOf(rows)
  const lines = [header.map(csvCell).join(',')]
  for (const row of rows) lines.push(header.map((column) => csvCell((row as Record<string, unknown>)[column])).join(','))
  return `${lines.join('\r\n')}\r\n`
}

export function columnsOf(rows: readonly object[]): string[] {
  const seen = new Set<string>()
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key)
  return [...seen]
}

/** A file name from a chart title: lower case, words joined by dashes, nothing a file system refuses. */
export function fileNameFor(title: string, extension: string): string {
  const stem = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return `${stem === '' ? 'chart' : stem}.${extension}`
}
