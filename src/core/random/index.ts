// Seeded randomness for designs, turn-taking and moderation: one module, one generator family.
export { SeededRandom, freshSeed, MAX_FRESH_SEED } from './seededRandom.js'
export { seededUuid4 } from './seededUuid4.js'
