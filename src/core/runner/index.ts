// Running many discussions on one backend: queue, journal, resume after a crash, provenance.
export {
  DiscussionRun,
  RunEventSchema,
  RunResultSchema,
  RunDiscussionStateSchema,
  type BackendProvider,
  type RunDiscussionState,
  type RunDiscussionStatus,
  type RunEvent,
  type RunResult
} from './discussionRun.js'
export { createRun, type CreateRunOptions, type RunSettings } from './createRun.js'
export { resumeRun, openRun, type ResumeRunOptions } from './resumeRun.js'
export {
  JournalRecordSchema,
  JournalWriter,
  readRunJournal,
  type JournalRecord,
  type JournalContents,
  type JournaledDiscussion,
  type JournaledState
} from './runJournal.js'
export { RUN_FILES, runFilePath, workspaceRunLocation, type RunLocation } from './runLocation.js'
export { RunPlansFileSchema, readRunPlans, RunNotFoundError, type RunPlansFile } from './runPlansFile.js'
export { buildRunManifest, describeRunGpu, readNodeLlamaCppVersion, type RunProvenance } from './buildRunManifest.js'
export { loadPlanLibrary, plansForDesign } from './plansForDesign.js'
export { newRunId } from './newRunId.js'
