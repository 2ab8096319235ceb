import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  parsePromptTemplate,
  PromptModeSchema,
  PromptTemplateError,
  renderPromptPreview,
  renderSpeakerPrompt,
  SDF_STOP_STRINGS,
  type PromptInput,
  type PromptMode
} from '../../../src/core/index.js'

// Persona fields, names and comments come from imported files and other people's libraries. Here
// they carry template syntax of every engine we know, chat-template role markers, SDF's alpaca
// headers and stop strings. The chat-template modes must keep them inside message contents; the
// custom templates must insert them literally, once, never re-read them as placeholders.

const RUNS = { numRuns: Number(process.env.SDF_FUZZ_RUNS ?? 300) }

const MARKERS = [
  '{{', '}}', '{{name}}', '{{ instructions }}', '{{persona.username}}', '{{history}}', '{{#each history}}', '{%', '%}', '${', '${process.exit(1)}', '`',
  '<|im_start|>assistant\n', '<|im_end|>', '<|eot_id|>', '<|start_header_id|>system<|end_header_id|>', '[INST]', '[/INST]', '<s>', '</s>',
  '### Instruction:', '### Response:', '\n\n', '\nUser Bob posted:', 'User Ann posted:', ...SDF_STOP_STRINGS
]
const hostile = fc
  .array(fc.oneof(fc.constantFrom(...MARKERS), fc.string({ maxLength: 12 })), { minLength: 1, maxLength: 5 })
  .map((pieces) => pieces.join(''))
  .filter((text) => text.trim() !== '')

const hostileInput: fc.Arbitrary<PromptInput> = fc
  .record({
    names: fc.uniqueArray(hostile, { minLength: 2, maxLength: 4 }),
    context: hostile,
    instructions: hostile,
    topic: hostile,
    bio: hostile,
    history: fc.array(fc.record({ who: fc.nat(3), text: hostile, blank: fc.boolean() }), { maxLength: 6 })
  })
  .map(({ names, context, instructions, topic, bio, history }) => ({
    name: names[0]!,
    role: 'user' as const,
    persona: { username: names[0]!, personality_characteristics: [bio], special_instructions: instructions, extra_attributes: { bio } },
    context,
    instructions,
    topic,
    history: history.map((entry) => ({ author: names[entry.who % names.length]!, text: entry.blank ? '   ' : entry.text }))
  }))

/** The same discussion shape with harmless text: distinct names stay distinct, blank stays blank. */
function benign(input: PromptInput): PromptInput {
  const names = new Map<string, string>()
  const nameOf = (name: string) => {
    if (!names.has(name)) names.set(name, `n${names.size}`)
    return names.get(name)!
  }
  return {
    ...input,
    name: nameOf(input.name),
    persona: { username: nameOf(input.name), personality_characteristics: ['b'], special_instructions: 'i', extra_attributes: { bio: 'b' } },
    context: 'c',
    instructions: 'i',
    topic: 't',
    history: input.history.map((entry) => ({ author: nameOf(entry.author), text: entry.text.trim() === '' ? entry.text : 'x' }))
  }
}

const modes: PromptMode[] = [
  PromptModeSchema.parse({ kind: 'modern', history: 'transcript' }),
  PromptModeSchema.parse({ kind: 'modern', history: 'turns' }),
  PromptModeSchema.parse({ kind: 'sdf-v0', prompt_format: 'chat-template' }),
  PromptModeSchema.parse({ kind: 'sdf-v0.1', prompt_format: 'chat-template' })
]

describe('prompt templating under hostile persona fields', () => {
  it('custom templates insert every value literally, exactly once, and never as a placeholder', () => {
    // Separators no generated value contains: the rendering must split back into exactly the values.
    const mode = PromptModeSchema.parse({
      kind: 'custom',
      templates: {
        system: '\u0001{{name}}\u0002{{persona.username}}\u0003{{persona.bio}}\u0004{{instructions}}\u0005{{context}}\u0006{{topic}}\u0007',
        user: '{{history}}',
        history_item: '\u000e{{author}}\u000f{{text}}\u0010'
      }
    })
    fc.assert(
      fc.property(hostileInput, (input) => {
        const preview = renderPromptPreview(mode, input)
        const bio = String(input.persona?.extra_attributes?.bio)
        expect(preview.system).toBe(`\u0001${input.name}\u0002${input.persona?.username}\u0003${bio}\u0004${input.instructions}\u0005${input.context}\u0006${input.topic}\u0007`)
        const visible = input.history.filter((entry) => entry.text.trim() !== '')
        const items = preview.user.split('\u0010').filter((item) => item.replace(/^\n+/, '') !== '')
        expect(items.map((item) => item.replace(/^\n+/, ''))).toEqual(visible.map((entry) => `\u000e${entry.author}\u000f${entry.text}`))
        expect(preview.messages.map((message) => message.role)).toEqual(['system', 'user'])
        expect(preview.stop).toEqual([])
      }),
      RUNS
    )
  })

  it('chat-template modes keep the same messages, roles and stop strings whatever the text says', () => {
    fc.assert(
      fc.property(hostileInput, fc.constantFrom(...modes), (input, mode) => {
        const real = renderSpeakerPrompt(mode, input)
        const harmless = renderSpeakerPrompt(mode, benign(input))
        expect(real.messages.map((message) => message.role)).toEqual(harmless.messages.map((message) => message.role))
        expect(real.promptFormat).toBe('chat-template')
        expect(real.stop).toEqual(harmless.stop)
        // The modern prompt keeps every comment verbatim (trimmed) inside the contents; the SDF modes
        // re-wrap text as SDF did, so only the shape is compared for them.
        if (mode.kind === 'modern') {
          const all = real.messages.map((message) => message.content).join('\n')
          expect(all).toContain(input.name)
          for (const entry of input.history) if (entry.text.trim() !== '') expect(all).toContain(entry.text.trim())
        }
      }),
      RUNS
    )
  })

  it('the SDF alpaca prompt keeps its own stop strings and ends on the speaker cue, whatever the persona says', () => {
    const sdf = PromptModeSchema.parse({ kind: 'sdf-v0' })
    fc.assert(
      fc.property(hostileInput, (input) => {
        const preview = renderPromptPreview(sdf, input)
        // SDF v0's bytes are reproduced as SDF sent them, so hostile text reaches the raw prompt as
        // text (see docs/security.md); what a persona can never change is the stop list or the cue.
        expect(preview.stop).toEqual([...SDF_STOP_STRINGS])
        expect(preview.rawPrompt).not.toBeNull()
        expect(preview.rawPrompt!.startsWith(preview.system)).toBe(true)
        expect(preview.rawPrompt!.endsWith(`${preview.user}\n\n`)).toBe(true)
      }),
      RUNS
    )
  })

  it('parsing any template text either succeeds or throws a PromptTemplateError with an offset inside it', () => {
    const known = (name: string) => ['name', 'instructions', 'context', 'topic', 'history'].includes(name) || name.startsWith('persona.')
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...MARKERS), fc.string({ maxLength: 8 })), { maxLength: 8 }).map((pieces) => pieces.join('')), (template) => {
        try {
          const parts = parsePromptTemplate(template, known)
          // A successful parse loses nothing: text parts and placeholders cover the template.
          const rebuilt = parts.map((part) => ('text' in part ? part.text : `{{${part.placeholder}}}`)).join('')
          expect(rebuilt.replace(/\{\{\s*([^}]*?)\s*\}\}/g, '{{$1}}')).toBe(template.replace(/\{\{\s*([^}]*?)\s*\}\}/g, '{{$1}}'))
        } catch (error) {
          expect(error).toBeInstanceOf(PromptTemplateError)
          const offset = (error as PromptTemplateError).offset
          expect(offset).toBeGreaterThanOrEqual(0)
          expect(offset).toBeLessThan(template.length)
        }
      }),
      RUNS
    )
  })
})
