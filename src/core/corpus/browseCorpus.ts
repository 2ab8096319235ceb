import type { Corpus, CorpusComment } from './corpus.js'
import { CorpusError } from './corpusError.js'
import { corpusThreads } from './corpusThreads.js'

/** One conversation of a corpus as a list shows it. */
export interface CorpusThreadSummary {
  conversationId: string
  comments: number
  /** Comments marked by the flag column; null when the corpus has none. */
  flagged: number | null
  authors: number
  /** The opening comment's text, cut to `EXCERPT_LENGTH` characters. */
  excerpt: string
}

/** A comment with its place in the reply tree of its conversation. */
export interface CorpusThreadComment {
  /** Position in the conversation, in file order. */
  index: number
  messageId: string
  replyTo: string | null
  /** Position of the comment it answers, when that is an earlier comment of the conversation; else null. */
  parentIndex: number | null
  /** Replies deep: 0 for a comment that answers none. */
  depth: number
  author: string | null
  text: string
  flagged: boolean | null
  timestamp: string | null
  /** The line of the imported file it came from. */
  line: number
}

export interface CorpusPage {
  threadCount: number
  /** A page of the conversations (when no thread was asked for). */
  threads: CorpusThreadSummary[]
  /** A page of one conversation's comments, when asked for. */
  thread: { conversationId: string; total: number; comments: CorpusThreadComment[] } | null
}

export const EXCERPT_LENGTH = 160

function excerpt(text: string): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()]
  return chars.length > EXCERPT_LENGTH ? `${chars.slice(0, EXCERPT_LENGTH - 1).join('')}…` : chars.join('')
}

/**
 * A page of a corpus: its conversations with counts and an excerpt, or (given `threadId`) one
 * conversation's comments with the reply-to structure resolved to positions and depths.
 */
export function browseCorpus(corpus: Corpus, page: { offset: number; limit: number; threadId?: string | undefined }): CorpusPage {
  const threads = corpusThreads(corpus.comments)
  const hasFlag = corpus.info.columns.flag !== null
  if (page.threadId === undefined) {
    return {
      threadCount: threads.length,
      threads: threads.slice(page.offset, page.offset + page.limit).map((thread) => ({
        conversationId: thread.conversation_id,
        comments: thread.comments.length,
        flagged: hasFlag ? thread.comments.filter((comment) => comment.flagged === true).length : null,
        authors: new Set(thread.comments.map((comment) => comment.author ?? '')).size,
        excerpt: excerpt(thread.comments[0]?.text ?? '')
      })),
      thread: null
    }
  }
  const thread = threads.find((candidate) => candidate.conversation_id === page.threadId)
  if (thread === undefined) {
    throw new CorpusError(`corpus "${corpus.info.id}" has no conversation "${page.threadId}"`)
  }
  const depth: number[] = []
  const comments = thread.comments.map((comment: CorpusComment, index): CorpusThreadComment => {
    const parentIndex = thread.parent[index] ?? null
    depth.push(parentIndex === null ? 0 : (depth[parentIndex] ?? 0) + 1)
    return {
      index,
      messageId: comment.message_id,
      replyTo: comment.reply_to,
      parentIndex,
      depth: depth[index] ?? 0,
      author: comment.author,
      text: comment.text,
      flagged: comment.flagged,
      timestamp: comment.timestamp,
      line: comment.line
    }
  })
  return {
    threadCount: threads.length,
    threads: [],
    thread: { conversationId: thread.conversation_id, total: comments.length, comments: comments.slice(page.offset, page.offset + page.limit) }
  }
}
