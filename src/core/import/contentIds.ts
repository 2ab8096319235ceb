import { createHash } from 'node:crypto'
import { canonicalJson } from '../canonicalJson.js'

/**
 * Library records get ids derived from their content, so importing the same files twice stores
 * each record once, and the id still reads as what the record is (`darkshadow333-1a2b3c4d`).
 */
export function contentId(label: string, content: unknown, fallback: string): string {
  return `${slug(label) || fallback}-${shortHash(canonicalJson(content))}`
}

export function shortHash(text: string, length = 8): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length)
}

export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/g, '')
}
