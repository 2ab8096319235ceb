export * from './annotationContext.js'
export * from './annotatorPrompt.js'
export * from './annotateDiscussion.js'
export * from './runAnnotationJob.js'
