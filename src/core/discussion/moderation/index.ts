export * from './moderatorPolicy.js'
export { isModeratorAddressed } from './isModeratorAddressed.js'
export { decideModeratorTurn, type ModeratorDecision, type ModeratorTurnContext } from './decideModeratorTurn.js'
export {
  moderatorDecisionPrompt,
  parseModeratorDecision,
  MODERATOR_DECISION_CHOICES,
  type ModeratorDecisionPromptInput
} from './moderatorDecisionPrompt.js'
