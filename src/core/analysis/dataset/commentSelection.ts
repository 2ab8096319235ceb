import { z } from 'zod'
import { isSilentText } from '../text/isSilentText.js'
import type { AnalysisComment } from './analysisDataset.js'

/** Which comments an analysis looks at. */
export const CommentSelectionSchema = z.object({
  /** Seed comments were written before the agents spoke; left out unless asked for. */
  includeSeeds: z.boolean().default(false),
  includeModerators: z.boolean().default(true),
  /** Silent turns ("" or only quotes) are not comments anyone read; left out unless asked for. */
  includeSilent: z.boolean().default(false)
})
export type CommentSelection = z.input<typeof CommentSelectionSchema>

export function selectsComment(selection: CommentSelection, comment: AnalysisComment): boolean {
  if (comment.role === 'seed' && !selection.includeSeeds) return false
  if (comment.role === 'moderator' && selection.includeModerators === false) return false
  if (!selection.includeSilent && isSilentText(comment.text)) return false
  return true
}
