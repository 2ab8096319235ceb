// Experiment designs: factor crossing, seeded sampling, budget estimates.
export * from './experimentDesign.js'
export { DiscussionSpecSchema, type DiscussionSpec } from './discussionSpec.js'
export { countDesign, type DesignCounts } from './countDesign.js'
export { DesignError } from './designError.js'
export { expandDesign, type DesignExpansion, type DesignLibrary } from './expandDesign.js'
export { estimateDesign, type DesignEstimate, type EstimateRates } from './estimateDesign.js'
