import { createHash } from 'node:crypto'
import { DiscussionSchema, type Discussion } from '../schema/discussion.js'
import { IdSchema } from '../schema/ids.js'
import type { Corpus } from './corpus.js'
import { corpusThreads } from './corpusThreads.js'

/** The author name used where a corpus row names none (deleted accounts and the like). */
export const UNKNOWN_CORPUS_AUTHOR = '[unknown]'

/** Key in `Discussion.extra` holding where each comment came from in the corpus. */
export const CORPUS_EXTRA_KEY = 'corpus'

/**
 * `<corpus id>-<conversation id>`, with the conversation id made file-safe; when that changed it or
 * made it too long, a hash of the original keeps different conversations apart.
 */
export function corpusDiscussionId(corpusId: string, conversationId: string): string {
  const plain = `${corpusId}-${conversationId}`
  if (plain.length <= 128 && IdSchema.safeParse(plain).success) return plain
  const hash = createHash('sha256').update(conversationId, 'utf8').digest('hex').slice(0, 10)
  const safe = conversationId.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 128 - corpusId.length - hash.length - 2)
  return `${corpusId}-${safe}-${hash}`.replace(/_+-/g, '-')
}

/**
 * Each conversation of a corpus as a Discussion, so real threads can be annotated, charted and
 * compared beside synthetic ones: every comment is a `user` comment by its author, and the
 * conditions mark the discussion as human (`source: human`, `corpus: <name>`). Message ids, lines
 * and flags stay in `extra.corpus`.
 */
export function corpusToDiscussions(corpus: Corpus): Discussion[] {
  return corpusThreads(corpus.comments).map((thread) => {
    const authors = thread.comments.map((comment) => comment.author ?? UNKNOWN_CORPUS_AUTHOR)
    const usernames = [...new Set(authors)]
    return DiscussionSchema.parse({
      id: corpusDiscussionId(corpus.info.id, thread.conversation_id),
      timestamp: thread.comments[0]?.timestamp ?? null,
      status: 'complete',
      participants: usernames.map((username) => ({
        username,
        role: 'user',
        persona: { username },
        persona_origin: 'name-only',
        system_prompt: null
      })),
      moderator: null,
      context: null,
      history_ctx_len: null,
      comments: thread.comments.map((comment, index) => ({
        index,
        author: authors[index],
        role: 'user',
        raw_text: comment.text,
        text: comment.text,
        model: null,
        reply_to: thread.parent[index] ?? null,
        seed: null,
        prompt: null
      })),
      conditions: { source: 'human', corpus: corpus.info.name },
      extra: {
        [CORPUS_EXTRA_KEY]: {
          corpus_id: corpus.info.id,
          conversation_id: thread.conversation_id,
          message_ids: thread.comments.map((comment) => comment.message_id),
          reply_to: thread.comments.map((comment) => comment.reply_to),
          flagged: thread.comments.map((comment) => comment.flagged),
          timestamps: thread.comments.map((comment) => comment.timestamp),
          lines: thread.comments.map((comment) => comment.line),
          source_sha256: corpus.info.source.sha256
        }
      }
    })
  })
}
