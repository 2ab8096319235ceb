import { describe, expect, it } from 'vitest'
import {
  parsePromptTemplate,
  PromptModeSchema,
  PromptTemplatesSchema,
  renderPromptPreview,
  renderPromptTemplate,
  type PromptInput
} from '../../../src/core/index.js'

const input: PromptInput = {
  name: 'Ann',
  role: 'user',
  persona: { username: 'Ann', age: 30, personality_characteristics: ['calm', 'kind'], extra_attributes: { city: 'Oslo' } },
  attributes: ['age: 30'],
  context: 'A forum.',
  instructions: 'Be brief.',
  topic: 'Cats or dogs?',
  history: [
    { author: 'Bob', text: 'Cats.' },
    { author: 'Cid', text: '   ' },
    { author: 'Dee', text: 'Dogs.' }
  ]
}

const custom = (system: string, user: string, extra: Record<string, string> = {}) =>
  PromptModeSchema.parse({ kind: 'custom', templates: { system, user, ...extra } })

describe('user-editable prompt templates', () => {
  it('fills placeholders, persona fields and extra attributes, and renders the history with its item template', () => {
    const preview = renderPromptPreview(
      custom(
        'I am {{ name }} ({{persona.age}}, {{persona.personality_characteristics}}, from {{persona.city}}). {{instructions}}',
        'Topic: {{topic}}\n{{history}}\n{{name}}:',
        { history_item: '[{{author}}] {{text}}' }
      ),
      input
    )
    expect(preview.system).toBe('I am Ann (30, calm, kind, from Oslo). Be brief.')
    expect(preview.user).toBe('Topic: Cats or dogs?\n[Bob] Cats.\n[Dee] Dogs.\nAnn:')
    expect(preview.rawPrompt).toBeNull()
  })

  it('renders a known but missing value as nothing', () => {
    expect(renderPromptPreview(custom('{{persona.sex}}|{{persona.anything}}', 'x'), input).system).toBe('|')
  })

  it('inserts values as plain text: a persona cannot inject template syntax', () => {
    const hostile: PromptInput = {
      ...input,
      name: '{{instructions}}',
      persona: { username: '{{instructions}}', extra_attributes: { bio: '{{context}} {{#each history}}' } },
      history: [{ author: '{{name}}', text: '{{topic}}' }]
    }
    const preview = renderPromptPreview(custom('{{name}} / {{persona.bio}}', '{{history}}'), hostile)
    expect(preview.system).toBe('{{instructions}} / {{context}} {{#each history}}')
    expect(preview.user).toBe('{{name}}: {{topic}}')
  })

  it('rejects unknown placeholders, unclosed braces and non-names when the template is saved', () => {
    const problems = (system: string, historyItem = '{{author}}') =>
      PromptTemplatesSchema.safeParse({ system, user: '', history_item: historyItem }).error?.issues.map((issue) => [
        issue.path.join('.'),
        issue.message
      ])
    expect(problems('{{persona.age}} {{instructons}}')).toEqual([['system', 'unknown placeholder {{instructons}}']])
    expect(problems('Hello {{name')).toEqual([['system', '"{{" at offset 6 is never closed with "}}"']])
    expect(problems('{{#each history}}{{/each}}')).toEqual([['system', '"{{#each history}}" is not a placeholder name']])
    expect(problems('ok', '{{name}}')).toEqual([['history_item', 'unknown placeholder {{name}}']])
    expect(problems('{"json": {"single": "braces are text"}}')).toBeUndefined()
  })

  it('parses into text and placeholder parts in one pass', () => {
    const parts = parsePromptTemplate('a {{x}} b', (name) => name === 'x')
    expect(parts).toEqual([{ text: 'a ' }, { placeholder: 'x' }, { text: ' b' }])
    expect(renderPromptTemplate(parts, new Map([['x', '{{x}}']]))).toBe('a {{x}} b')
  })
})
