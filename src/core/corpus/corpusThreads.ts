import type { CorpusComment } from './corpus.js'

/** One conversation of a corpus, its comments in file order. */
export interface CorpusThread {
  conversation_id: string
  comments: CorpusComment[]
  /** Position of the comment each one answers by its reply_to, when that comes earlier; else null. */
  parent: (number | null)[]
  /**
   * Position of the comment each one follows in a seed window: its parent, or failing that the
   * comment before it in the file. Null only for the first comment.
   */
  previous: (number | null)[]
}

/**
 * Conversations in order of first appearance. Only earlier comments count as parents, so chains
 * always end and a reply_to pointing forward (or at itself) cannot loop.
 */
export function corpusThreads(comments: readonly CorpusComment[]): CorpusThread[] {
  const byConversation = new Map<string, CorpusComment[]>()
  for (const comment of comments) {
    const list = byConversation.get(comment.conversation_id)
    if (list) list.push(comment)
    else byConversation.set(comment.conversation_id, [comment])
  }
  return [...byConversation].map(([conversation_id, list]) => {
    const position = new Map<string, number>()
    const parent: (number | null)[] = []
    const previous: (number | null)[] = []
    list.forEach((comment, index) => {
      const target = comment.reply_to === null ? undefined : position.get(comment.reply_to)
      parent.push(target ?? null)
      previous.push(target ?? (index > 0 ? index - 1 : null))
      position.set(comment.message_id, index)
    })
    return { conversation_id, comments: list, parent, previous }
  })
}
