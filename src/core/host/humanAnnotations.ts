import { annotationTargets } from '../annotation/annotationContext.js'
import { isSilentText } from '../analysis/text/isSilentText.js'
import { shortHash } from '../import/contentIds.js'
import { describeZodError } from '../schema/describeZodError.js'
import { AnnotationSchema, annotationValuesSchema, type Annotation, type AnnotatorSpec, type Discussion } from '../schema/index.js'
import type { Workspace } from '../workspace/workspace.js'
import { AnalysisInputError } from './annotationJobs.js'
import { HostNotFoundError } from './studioPorts.js'

export interface PutHumanRequest {
  annotator: string
  annotatorSpecId?: string | undefined
  discussionId: string
  commentIndex: number
  values: Readonly<Record<string, number | string | boolean | null>>
}

export interface HumanQueueRequest {
  annotatorSpecId: string
  annotator: string
  discussionIds?: readonly string[] | undefined
  limit: number
}

async function discussionOf(workspace: Workspace, id: string): Promise<Discussion> {
  let discussion: Discussion | undefined
  try {
    discussion = await workspace.discussions.get(id)
  } catch (error) {
    throw new AnalysisInputError(`discussion "${id}" cannot be read: ${(error as Error).message}`)
  }
  if (discussion === undefined) throw new HostNotFoundError(`There is no discussion "${id}" in this workspace.`)
  return discussion
}

async function specOf(workspace: Workspace, id: string): Promise<AnnotatorSpec> {
  let spec: AnnotatorSpec | undefined
  try {
    spec = await workspace.annotators.get(id)
  } catch (error) {
    throw new AnalysisInputError(`annotator "${id}" cannot be used: ${(error as Error).message}`)
  }
  if (spec === undefined) throw new HostNotFoundError(`There is no annotator "${id}" in this workspace.`)
  return spec
}

/** Checks each given value against its label of the spec; null (no answer) is always allowed. */
function checkValues(spec: AnnotatorSpec, values: PutHumanRequest['values']): void {
  const labels = new Map(spec.labels.map((label) => [label.name, label]))
  for (const [name, value] of Object.entries(values)) {
    const label = labels.get(name)
    if (label === undefined) {
      const known = spec.labels.map((one) => `"${one.name}"`).join(', ') || 'none'
      throw new AnalysisInputError(`"${name}" is not a label of annotator "${spec.id}" (its labels: ${known})`)
    }
    if (value === null) continue
    const checked = annotationValuesSchema([label]).safeParse({ [name]: value })
    if (!checked.success) throw new AnalysisInputError(`value ${JSON.stringify(value)} for "${name}": ${describeZodError(checked.error)}`)
  }
}

let sequence = 0

/**
 * Stores one human label as an annotation (annotator kind `human`), appended to the discussion's
 * journal. Every call adds a record with its own id; analyses and agreement keep each annotator's
 * latest per comment, so a correction replaces the earlier label without rewriting the journal.
 */
export async function putHumanAnnotation(workspace: Workspace, request: PutHumanRequest, now: Date): Promise<{ annotation: Record<string, unknown> }> {
  const discussion = await discussionOf(workspace, request.discussionId)
  const count = discussion.comments.length
  if (request.commentIndex >= count) {
    throw new AnalysisInputError(
      `discussion "${discussion.id}" has ${count} comment${count === 1 ? '' : 's'} (indices 0 to ${count - 1}); there is no comment ${request.commentIndex}`
    )
  }
  if (Object.keys(request.values).length === 0) throw new AnalysisInputError('values is empty: give at least one label value')
  const spec = request.annotatorSpecId === undefined ? null : await specOf(workspace, request.annotatorSpecId)
  if (spec !== null) checkValues(spec, request.values)
  const name = request.annotator.trim()
  sequence = (sequence + 1) % 1296
  const annotation: Annotation = AnnotationSchema.parse({
    id: `human-${shortHash(`${name}\u0000${discussion.id}`, 12)}-${request.commentIndex}-${now.getTime().toString(36)}${sequence.toString(36)}`,
    discussion_id: discussion.id,
    comment_index: request.commentIndex,
    position: request.commentIndex,
    annotator: { name, kind: 'human', model: null, prompt: null, persona: null, spec_id: spec?.id ?? null },
    values: request.values,
    raw_text: JSON.stringify(request.values),
    parsed: true,
    created_at: now.toISOString()
  })
  await workspace.annotations.append(discussion.id, [annotation])
  return { annotation: annotation as unknown as Record<string, unknown> }
}

/**
 * The next comments a human has not labelled for this spec, with what the spec's context shows
 * (the comments before, the topic if it includes it). Blind by construction: it reads no other
 * annotator's labels and no persona. Silent turns are skipped: there is nothing to rate.
 */
export async function humanQueue(workspace: Workspace, request: HumanQueueRequest) {
  const spec = await specOf(workspace, request.annotatorSpecId)
  const name = request.annotator.trim()
  const ids = request.discussionIds ? [...new Set(request.discussionIds)] : await workspace.discussions.ids()
  const items: {
    discussionId: string
    commentIndex: number
    text: string
    context: { author: string; text: string }[]
    topic: string | null
  }[] = []
  let more = false
  for (const id of ids) {
    if (more) break
    const discussion = await discussionOf(workspace, id)
    const done = new Set(
      (await workspace.annotations.list(id)).annotations
        .filter((a) => a.annotator.kind === 'human' && a.annotator.name === name && a.annotator.spec_id === spec.id)
        .map((a) => a.comment_index)
    )
    for (const target of annotationTargets(spec, discussion)) {
      if (done.has(target.comment.index) || isSilentText(target.comment.text)) continue
      if (items.length === request.limit) {
        more = true
        break
      }
      items.push({
        discussionId: discussion.id,
        commentIndex: target.comment.index,
        text: target.comment.text,
        context: target.window.slice(0, -1).map((comment) => ({ author: comment.author, text: comment.text })),
        topic: spec.context.include_topic ? discussion.context : null
      })
    }
  }
  return {
    spec: {
      id: spec.id,
      name: spec.name,
      instructions: spec.instructions,
      labels: spec.labels as unknown as Record<string, unknown>[]
    },
    items,
    more
  }
}
