// Running discussions against a backend: plans, the event stream, replay and counterfactual forks.
export {
  DiscussionPlanSchema,
  PlannedUserSchema,
  PlannedModeratorSchema,
  PlanPrefixSchema,
  PlanOriginSchema,
  SDF_V0_SAMPLING,
  type DiscussionPlan,
  type DiscussionPlanInput
} from './discussionPlan.js'
export { StepPhaseSchema, StepSummarySchema, type StepPhase, type StepSummary } from './stepSummary.js'
export { EngineStepSchema, type EngineStep } from './engineStep.js'
export { DiscussionEventSchema, type DiscussionEvent, type DiscussionEventType } from './discussionEvent.js'
export {
  GenerationRecordSchema,
  GENERATION_EXTRA_KEY,
  generationRecordOf,
  type GenerationRecord
} from './generationRecord.js'
export { runDiscussion, sdfTimestamp, type RunDiscussionOptions } from './runDiscussion.js'
export { PlanError } from './planError.js'
export { planFromSpec, specConditions, type PlanLibrary } from './planFromSpec.js'
export {
  planFromSdfConfig,
  SDF_DEFAULT_MAX_TOKENS,
  type PlanFromSdfConfigOptions,
  type SdfConfigInput
} from './planFromSdfConfig.js'
export { forkDiscussion, ForkChangesSchema, type ForkChanges, type ForkOptions } from './forkDiscussion.js'
