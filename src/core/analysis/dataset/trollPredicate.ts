import type { PersonaSnapshot } from '../../schema/index.js'

/** Decides whether a persona is a troll; the troll analyses take any such predicate. */
export type TrollPredicate = (persona: PersonaSnapshot) => boolean

/**
 * SDF's trolls: v0+ personas say so in `special_instructions` ("You are an online troll…"),
 * v-1 personas had `intent: "Troll"`. SDF's own evaluation searched the prompt for "troll".
 */
export const isTrollPersona: TrollPredicate = (persona) =>
  /\btroll/i.test(persona.special_instructions ?? '') || /^\s*troll\s*$/i.test(persona.intent ?? '')
