// Running a discussion: turn-taking, moderator policies, prompts, cleaning, and the engine.
export * from './turns/index.js'
export * from './moderation/index.js'
export * from './prompts/index.js'
export * from './cleanOutput.js'
export * from './engine/index.js'
