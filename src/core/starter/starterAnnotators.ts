import type { z } from 'zod'
import type { AnnotatorSpecSchema } from '../schema/annotatorSpec.js'

const TOXICITY_SCALE = [
  '1 = not toxic: civil, even if it disagrees strongly',
  '2 = slightly toxic: dismissive, sarcastic or mildly rude',
  '3 = moderately toxic: insults an idea in a hostile way, or is clearly rude to a person',
  '4 = highly toxic: direct insults, mockery or hostility aimed at people',
  '5 = extremely toxic: hateful, dehumanising or threatening'
].join('\n')

/** Three annotator specs written by the SDF Studio team: one per common labelling task. */
export const STARTER_ANNOTATORS: readonly z.input<typeof AnnotatorSpecSchema>[] = [
  {
    id: 'example-annotator-toxicity',
    example: true,
    name: 'Toxicity 1-5 (example)',
    instructions: [
      'You are annotating comments from an online discussion. You see the last few comments for',
      'context; rate only the final one.',
      'Rate how toxic the comment is, on this scale:',
      TOXICITY_SCALE,
      'Judge the tone and the way people are treated, not whether you agree with the opinion.'
    ].join('\n'),
    labels: [
      { name: 'toxicity', type: 'integer', min: 1, max: 5, description: '1 not toxic … 5 extremely toxic' }
    ],
    context: { history: 4, include_topic: false, include_moderator_comments: false }
  },
  {
    id: 'example-annotator-toxicity-argument-quality',
    example: true,
    name: 'Toxicity and argument quality 1-5 (example)',
    instructions: [
      'You are annotating comments from an online discussion. You see the last few comments for',
      'context; rate only the final one, on two separate scales.',
      'Toxicity:',
      TOXICITY_SCALE,
      'Argument quality:',
      '1 = no argument: only an assertion, a joke or an attack',
      '2 = weak: a claim with a vague or irrelevant reason',
      '3 = fair: a claim with a relevant reason, but one-sided or unsupported',
      '4 = good: a clear claim with relevant reasons or evidence, responsive to others',
      '5 = excellent: well reasoned, supported, and engages fairly with the other side',
      'Rate the two independently: a rude comment can still make a good argument, and a polite one can',
      'make none.'
    ].join('\n'),
    labels: [
      { name: 'toxicity', type: 'integer', min: 1, max: 5, description: '1 not toxic … 5 extremely toxic' },
      { name: 'argument_quality', type: 'integer', min: 1, max: 5, description: '1 no argument … 5 excellent' }
    ],
    context: { history: 4, include_topic: false, include_moderator_comments: false }
  },
  {
    id: 'example-annotator-stance',
    example: true,
    name: 'Stance towards the opening post (example)',
    instructions: [
      'You are annotating comments from an online discussion. You see the post that opened the',
      'discussion and the last few comments; label only the final comment.',
      'What is the final comment\'s stance towards the position taken in the opening post?',
      '- agree: it supports that position',
      '- disagree: it argues against that position',
      '- neutral: it takes part without taking a side (a question, a summary, a joke)',
      '- unclear: you cannot tell, or it is off topic',
      'Label what the comment says, not what you think of the topic.'
    ].join('\n'),
    labels: [
      {
        name: 'stance',
        type: 'category',
        options: ['agree', 'disagree', 'neutral', 'unclear'],
        description: "the comment's stance towards the opening post"
      }
    ],
    context: { history: 4, include_topic: true, include_moderator_comments: true }
  }
]
