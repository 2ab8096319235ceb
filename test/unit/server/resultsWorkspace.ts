// A small annotated workspace for the results methods. Not a test file (vitest runs only *.test.ts).
import { AnnotationSchema, DiscussionSchema, type Annotation, type Discussion, type Workspace } from '../../../src/core/index.js'

export const TOXICITY_SPEC = {
  id: 'toxicity',
  name: 'Toxicity',
  instructions: 'Rate how toxic the last comment is.',
  labels: [
    { name: 'toxicity', type: 'integer', min: 1, max: 5 },
    { name: 'stance', type: 'category', options: ['for', 'against', 'neutral'] }
  ],
  context: { history: 2, include_topic: true, include_moderator_comments: false }
}

interface DiscussionPlan {
  id: string
  variant: 'rules' | 'none'
  model: string
  /** alice's and bob's comments, in turn order; "" is a silent turn. */
  texts: [string, string, string]
  /** The moderator's one comment ("" = stayed silent). */
  moderator: string
}

export const PLANS: readonly DiscussionPlan[] = [
  { id: 'd-rules-1', variant: 'rules', model: 'model-a', texts: ['I like the park plan', 'Parks are a waste of money', 'We could share costs'], moderator: 'Please stay civil.' },
  { id: 'd-rules-2', variant: 'rules', model: 'model-a', texts: ['Bike lanes help everyone', 'Cyclists are idiots', ''], moderator: '' },
  { id: 'd-none-1', variant: 'none', model: 'model-b', texts: ['Taxes fund schools', 'You are all clueless', 'Schools matter a lot'], moderator: 'Let us keep to the topic.' },
  { id: 'd-none-2', variant: 'none', model: 'model-b', texts: ['Trains beat cars for commuting', 'Trains are slow garbage', 'I take the train daily'], moderator: '' }
]

export function planDiscussion(plan: DiscussionPlan): Discussion {
  const [first, second, third] = plan.texts
  const comments = [
    { author: 'seed', role: 'seed', text: 'What should the city spend on?', model: 'hardcoded' },
    { author: 'alice', role: 'user', text: first, model: plan.model },
    { author: 'bob', role: 'user', text: second, model: plan.model },
    { author: 'mod', role: 'moderator', text: plan.moderator, model: plan.model },
    { author: 'alice', role: 'user', text: third, model: plan.model }
  ]
  return DiscussionSchema.parse({
    id: plan.id,
    timestamp: '26-11-27-10-00',
    participants: [
      { username: 'alice', role: 'user', persona: { username: 'alice', sex: 'female', extra_attributes: { leaning: 'left' } }, persona_origin: 'structured' },
      { username: 'bob', role: 'user', persona: { username: 'bob', sex: 'male', special_instructions: 'You are an online troll.' }, persona_origin: 'structured' },
      { username: 'mod', role: 'moderator', persona: { username: 'mod' }, persona_origin: 'structured' }
    ],
    moderator: 'mod',
    context: `A town hall about the budget (${plan.id})`,
    comments: comments.map((comment, index) => ({ index, raw_text: comment.text, ...comment })),
    conditions: { moderator_instructions: plan.variant, conv_variant: plan.model === 'model-a' ? 'A' : 'B' }
  })
}

/** Two LLM annotators rating the users' comments: bob's comments are toxic, and the annotators differ by one on alice's last. */
export function planAnnotations(discussion: Discussion): Annotation[] {
  const annotations: Annotation[] = []
  for (const comment of discussion.comments) {
    if (comment.role !== 'user' || comment.text === '') continue
    const base = comment.author === 'bob' ? 4 : 1
    for (const [annotator, shift] of [['llm-a', 0], ['llm-b', comment.index === 4 ? 1 : 0]] as const) {
      annotations.push(
        AnnotationSchema.parse({
          id: `${discussion.id}-${comment.index}-${annotator}`,
          discussion_id: discussion.id,
          comment_index: comment.index,
          position: comment.index,
          annotator: { name: annotator, kind: 'llm' },
          values: { toxicity: base + shift, stance: comment.author === 'bob' ? 'against' : 'for' },
          raw_text: '{}',
          parsed: true
        })
      )
    }
  }
  return annotations
}

/** Puts the four discussions, their annotations and the toxicity annotator spec into the workspace. */
export async function fillResultsWorkspace(workspace: Workspace): Promise<void> {
  await workspace.annotators.put(TOXICITY_SPEC as never)
  for (const plan of PLANS) {
    const discussion = planDiscussion(plan)
    await workspace.discussions.put(discussion)
    await workspace.annotations.append(discussion.id, planAnnotations(discussion))
  }
}
