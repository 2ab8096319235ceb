import { STARTER_ANNOTATORS } from './starterAnnotators.js'
import { STARTER_INSTRUCTIONS } from './starterInstructions.js'
import { STARTER_PERSONAS } from './starterPersonas.js'
import { STARTER_TOPICS } from './starterTopics.js'

/** Every starter record's id begins with this, so examples are recognisable in any file listing. */
export const STARTER_ID_PREFIX = 'example-'

/**
 * The examples every new workspace starts with. Kept as TypeScript data rather than JSON files so
 * the CLI (tsx from src/) and the bundled Electron main read them the same way, with no asset path.
 */
export const STARTER_LIBRARY = {
  personas: STARTER_PERSONAS,
  topics: STARTER_TOPICS,
  instructions: STARTER_INSTRUCTIONS,
  annotators: STARTER_ANNOTATORS
} as const

export type StarterCollection = keyof typeof STARTER_LIBRARY

export const STARTER_COLLECTIONS: readonly StarterCollection[] = ['personas', 'topics', 'instructions', 'annotators']

/** True for a starter example: both marks are needed, so a user's own `example-…` record is never taken for one. */
export function isStarterRecord(record: { id: string; example?: boolean | undefined }): boolean {
  return record.example === true && record.id.startsWith(STARTER_ID_PREFIX)
}
