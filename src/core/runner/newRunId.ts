import { randomBytes } from 'node:crypto'

/**
 * `<prefix>-<yyyymmdd>-<hhmmss>-<4 hex>`: sorts by start time and never collides with a run
 * started in the same second. The prefix is cut so the id stays a valid id.
 */
export function newRunId(prefix: string, at: Date = new Date()): string {
  const two = (value: number): string => String(value).padStart(2, '0')
  const day = `${at.getFullYear()}${two(at.getMonth() + 1)}${two(at.getDate())}`
  const time = `${two(at.getHours())}${two(at.getMinutes())}${two(at.getSeconds())}`
  const clean = prefix.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 100) || 'run'
  return `${clean}-${day}-${time}-${randomBytes(2).toString('hex')}`
}
