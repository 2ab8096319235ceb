// The starter library: example personas, topics, instructions and annotators for new workspaces.
export { STARTER_PERSONAS } from './starterPersonas.js'
export { STARTER_TOPICS } from './starterTopics.js'
export { STARTER_INSTRUCTIONS } from './starterInstructions.js'
export { STARTER_ANNOTATORS } from './starterAnnotators.js'
export {
  STARTER_COLLECTIONS,
  STARTER_ID_PREFIX,
  STARTER_LIBRARY,
  isStarterRecord,
  type StarterCollection
} from './starterLibrary.js'
export { installStarterLibrary, type InstallStarterOptions, type StarterCounts } from './installStarterLibrary.js'
export { removeStarterLibrary, type RemoveStarterOptions, type StarterRemoval } from './removeStarterLibrary.js'
