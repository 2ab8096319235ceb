import { describe, expect, it } from 'vitest'
import { renderPromptPreview, renderSpeakerPrompt, type PersonaSnapshot, type PromptInput } from '../../../src/core/index.js'

const persona: PersonaSnapshot = {
  username: 'DarkShadow333',
  age: 29,
  sex: 'male',
  demographic_group: '',
  special_instructions: 'Be combative.',
  personality_characteristics: ['outgoing', 'rebellious'],
  extra_attributes: { political_leaning: 'left' }
}

const input: PromptInput = {
  name: 'DarkShadow333',
  role: 'user',
  persona,
  context: '',
  instructions: 'Write a brief Reddit comment.',
  topic: 'Pineapple belongs on pizza.\n',
  history: [
    { author: 'Ann', text: 'Hard disagree.\nIt is a crime.' },
    { author: 'moderator', text: '' },
    { author: 'DarkShadow333', text: ' It is delicious. ' },
    { author: 'Bob', text: 'Both of you calm down.' }
  ]
}

describe('the modern prompt mode', () => {
  it('lists only the attributes the persona has and puts its special instructions with the instructions', () => {
    const preview = renderPromptPreview({ kind: 'modern', history: 'transcript' }, input)
    expect(preview.system).toMatchInlineSnapshot(`
      "You are DarkShadow333, taking part in an online discussion.

      About you:
      - age: 29
      - sex: male
      - personality characteristics: outgoing, rebellious
      - political leaning: left

      Your instructions:
      Write a brief Reddit comment.
      Be combative.

      The discussion is about this post:
      Pineapple belongs on pizza."
    `)
    expect(preview.promptFormat).toBe('chat-template')
    expect(preview.rawPrompt).toBeNull()
    expect(preview.stop).toEqual([])
  })

  it('shows the history as name: text lines, unwrapped, without silent turns', () => {
    const preview = renderPromptPreview({ kind: 'modern', history: 'transcript' }, input)
    expect(preview.user).toMatchInlineSnapshot(`
      "The discussion so far:

      Ann: Hard disagree.
      It is a crime.
      DarkShadow333: It is delicious.
      Bob: Both of you calm down.

      Write your next comment as DarkShadow333. Reply with the text of your comment only."
    `)
  })

  it('asks for the first comment when nobody has spoken', () => {
    const preview = renderPromptPreview({ kind: 'modern', history: 'transcript' }, { ...input, history: [] })
    expect(preview.user).toMatchInlineSnapshot(`
      "No one has commented yet.

      Write the first comment as DarkShadow333. Reply with the text of your comment only."
    `)
  })

  it('can give each comment its own turn, own comments as the assistant, roles alternating', () => {
    const { messages } = renderSpeakerPrompt({ kind: 'modern', history: 'turns' }, input)
    expect(messages.slice(1)).toMatchInlineSnapshot(`
      [
        {
          "content": "Ann: Hard disagree.
      It is a crime.",
          "role": "user",
        },
        {
          "content": "It is delicious.",
          "role": "assistant",
        },
        {
          "content": "Bob: Both of you calm down.

      Write your next comment as DarkShadow333. Reply with the text of your comment only.",
          "role": "user",
        },
      ]
    `)
    const own = renderSpeakerPrompt(
      { kind: 'modern', history: 'turns' },
      { ...input, history: [{ author: 'DarkShadow333', text: 'First!' }] }
    ).messages
    expect(own.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user'])
  })

  it('describes a moderator given only SDF attribute words', () => {
    const preview = renderPromptPreview(
      { kind: 'modern', history: 'transcript' },
      {
        name: 'moderator',
        role: 'moderator',
        attributes: ['just', 'strict', 'understanding'],
        context: 'An online forum.',
        instructions: 'Keep it civil.',
        history: []
      }
    )
    expect(preview.system).toMatchInlineSnapshot(`
      "You are moderator, the moderator of an online discussion.

      About you:
      - just
      - strict
      - understanding

      Context: An online forum.

      Your instructions:
      Keep it civil."
    `)
  })
})
