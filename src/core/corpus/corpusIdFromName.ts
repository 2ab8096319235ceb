import { CorpusError } from './corpusError.js'

/** A corpus's id and folder name: its name in lower case, runs of other characters as one "-". */
export function corpusIdFromName(name: string): string {
  const id = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, 100)
    .replace(/[-_]+$/g, '')
  if (id === '') throw new CorpusError(`"${name}" cannot name a corpus: use some letters or digits`)
  return id
}
