/**
 * The workspace folder layout, in one place. Documented for pandas/R users in docs/workspace.md;
 * change both together.
 */
export const WORKSPACE_MANIFEST_FILE = 'sdf-workspace.json'

export const COLLECTION_FOLDERS = {
  personas: 'personas',
  topics: 'topics',
  instructions: 'instructions',
  discussionConfigs: 'configs',
  settings: 'settings',
  annotators: 'annotators',
  designs: 'designs',
  discussions: 'discussions'
} as const

export const ANNOTATIONS_FOLDER = 'annotations'
/** Annotations whose discussion is not in the workspace yet, one journal per referenced id. */
export const UNLINKED_ANNOTATIONS_FOLDER = 'annotations/unlinked'
export const RUNS_FOLDER = 'runs'
