export * from './annotationContext.js'
export * from './annotatorPrompt.js'
export * from './annotateDiscussion.js'
