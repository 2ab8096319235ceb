// The model-free parts of running a discussion: turn-taking, moderator policies, prompts, cleaning.
export * from './turns/index.js'
export * from './moderation/index.js'
export * from './prompts/index.js'
export * from './cleanOutput.js'
