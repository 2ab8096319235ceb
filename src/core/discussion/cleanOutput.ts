import { z } from 'zod'
import type { PromptMode } from './prompts/promptMode.js'
import { isPythonBlank, pythonStrip } from './prompts/pythonWhitespace.js'
import { SDF_REMOVAL_LIST } from './prompts/sdfStrings.js'

/**
 * One step of the output cleaning pipeline. Steps run in the configured order; each only ever
 * removes text, so the raw reply always holds everything the cleaned one does.
 */
export const CleaningStepSchema = z.discriminatedUnion('kind', [
  /** Python-style `strip()` of surrounding white space. */
  z.object({ kind: z.literal('trim') }),
  /** A leading label with the speaker's own name: `Ann:`, `**Ann:**`, `**Ann**:`, `User Ann posted:`. */
  z.object({ kind: z.literal('drop-own-name-label') }),
  /** A leading `Comment:`, `Response:` or `Reply:` label, plain or in markdown bold/italics. */
  z.object({ kind: z.literal('drop-comment-label') }),
  /** Quotes around the whole reply (`"…"`, `'…'`, `“…”`, `‘…’`, `«…»`) when none appear inside. */
  z.object({ kind: z.literal('strip-quotes') }),
  /** Every occurrence of each string, in order (SDF's `remove_string_list`). */
  z.object({ kind: z.literal('remove-strings'), strings: z.array(z.string().min(1)) })
])
export type CleaningStep = z.infer<typeof CleaningStepSchema>

/** SDF v0 parity: only the removal list, no trimming (spec §2.5). */
export const SDF_V0_CLEANING: readonly CleaningStep[] = [{ kind: 'remove-strings', strings: [...SDF_REMOVAL_LIST] }]

/** SDF Studio's default for the modern and custom prompt modes. */
export const DEFAULT_CLEANING: readonly CleaningStep[] = [
  { kind: 'trim' },
  { kind: 'drop-own-name-label' },
  { kind: 'drop-comment-label' },
  { kind: 'strip-quotes' },
  { kind: 'remove-strings', strings: [...SDF_REMOVAL_LIST] },
  { kind: 'trim' }
]

/** SDF's own minimal cleaning for the SDF modes (replication), SDF Studio's for the others. */
export function cleaningForPromptMode(mode: PromptMode): readonly CleaningStep[] {
  return mode.kind === 'sdf-v0' || mode.kind === 'sdf-v0.1' ? SDF_V0_CLEANING : DEFAULT_CLEANING
}

export interface CleanedOutput {
  /** The model's reply, untouched. */
  raw: string
  /** After every step. */
  text: string
  /** A blank cleaned reply is a silent turn (SDF: `res.strip() == ""`). */
  silent: boolean
  /** Every configured step in order, and whether it changed the text. */
  steps: { kind: CleaningStep['kind']; changed: boolean }[]
}

const EMPHASIS = '(?:\\*\\*|__|\\*|_)?'

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

function dropLeading(text: string, label: RegExp): string {
  const match = label.exec(text)
  return match ? text.slice(match[0].length) : text
}

function ownNameLabel(name: string): RegExp {
  const who = `(?:User\\s+)?${escapeRegExp(name)}(?:\\s+posted)?`
  return new RegExp(`^\\s*${EMPHASIS}${who}${EMPHASIS}\\s*:${EMPHASIS}[ \\t]*(?:\\r?\\n)?`, 'iu')
}

const COMMENT_LABEL = new RegExp(`^\\s*${EMPHASIS}(?:Comment|Response|Reply)${EMPHASIS}\\s*:${EMPHASIS}[ \\t]*(?:\\r?\\n)?`, 'iu')

const QUOTE_PAIRS: readonly (readonly [string, string])[] = [
  ['"', '"'],
  ["'", "'"],
  ['“', '”'],
  ['‘', '’'],
  ['«', '»']
]

function stripQuotes(text: string): string {
  const inner = pythonStrip(text)
  for (const [open, close] of QUOTE_PAIRS) {
    if (inner.length < 2 || !inner.startsWith(open) || !inner.endsWith(close)) continue
    const body = inner.slice(open.length, inner.length - close.length)
    // "a" and "b" is two quotations, not one quoted reply.
    if (!body.includes(open) && !body.includes(close)) return body
  }
  return text
}

function applyStep(step: CleaningStep, text: string, speaker: string): string {
  switch (step.kind) {
    case 'trim':
      return pythonStrip(text)
    case 'drop-own-name-label':
      return dropLeading(text, ownNameLabel(speaker))
    case 'drop-comment-label':
      return dropLeading(text, COMMENT_LABEL)
    case 'strip-quotes':
      return stripQuotes(text)
    case 'remove-strings':
      return step.strings.reduce((current, unwanted) => current.split(unwanted).join(''), text)
  }
}

/** Runs the pipeline over one reply by `speaker`, recording what each step did. */
export function cleanOutput(raw: string, speaker: string, steps: readonly CleaningStep[]): CleanedOutput {
  let text = raw
  const record: CleanedOutput['steps'] = []
  for (const step of steps) {
    const next = applyStep(step, text, speaker)
    record.push({ kind: step.kind, changed: next !== text })
    text = next
  }
  return { raw, text, silent: isPythonBlank(text), steps: record }
}
