import { AnnotationSchema } from '../schema/index.js'
import type { Annotator, PersonaSnapshot, SourceFormat } from '../schema/index.js'
import type { AnnotationDraft, ParsedSource } from './parsedSource.js'
import { parseLegacyAnnotationText } from './legacyAnnotationText.js'
import { personaFromPromptJson } from './readPersonas.js'
import { recoverPersona, splitAttributeText } from './recoverPersona.js'
import { splitLegacySystemPrompt } from './splitLegacySystemPrompt.js'
import { parseWithSchema } from './zodIssueToFormatError.js'
import {
  describeValue,
  expectList,
  expectString,
  fail,
  itemField,
  optionalString,
  type JsonRecord
} from './valueChecks.js'

export const AnnotationDraftSchema = AnnotationSchema.omit({ id: true, source: true, discussion_id: true }).extend({
  comment_index: AnnotationSchema.shape.comment_index.optional()
})

export function validateAnnotationDraft(draft: unknown, field: string): AnnotationDraft {
  const parsed = parseWithSchema(AnnotationDraftSchema, draft, field)
  if (parsed.comment_index === undefined) delete parsed.comment_index
  return parsed
}

function personaFromAnnotatorPrompt(prompt: string): PersonaSnapshot | null {
  const split = splitLegacySystemPrompt(prompt)
  if (!split) return null
  if (split.form === 'json') return personaFromPromptJson('annotator', split.persona)
  // v0 annotators had an empty name; their `username:` attribute, if any, names the persona.
  const recovered = recoverPersona(split.name, splitAttributeText(split.attributesText), 'annotator')
  return recovered.origin === 'name-only' ? null : recovered.persona
}

/** An LLM annotator as the file describes it; the persona comes from its prompt when that can be read. */
export function annotatorFromPrompt(name: string, model: string | null, prompt: string | null): Annotator {
  return {
    name,
    kind: 'llm',
    model,
    prompt,
    persona: prompt === null ? null : personaFromAnnotatorPrompt(prompt),
    spec_id: null
  }
}

/** v0 wrote `annotator_type` ("LLMAnnotator"); v0.2 and SynDisco 2.0 the model's pseudo-name instead. */
export function classifyAnnotationFile(data: JsonRecord): Extract<SourceFormat, 'sdf-v0-annotation' | 'sdf-v0.2-annotation'> {
  return 'annotator_model' in data ? 'sdf-v0.2-annotation' : 'sdf-v0-annotation'
}

/** v0, v0.2 and SynDisco 2.0 annotation outputs (spec §1.8): `[message, annotation]` pairs. */
export function readAnnotations(data: JsonRecord): ParsedSource {
  const format = classifyAnnotationFile(data)
  const discussionId = expectString(data.conv_id, 'conv_id')
  if (discussionId.trim() === '') fail('conv_id', 'must name the annotated discussion')
  const createdAt = optionalString(data.timestamp, 'timestamp')
  const model = optionalString(data.annotator_model, 'annotator_model')
  const type = optionalString(data.annotator_type, 'annotator_type')
  const annotator = annotatorFromPrompt(model ?? type ?? 'annotator', model, optionalString(data.annotator_prompt, 'annotator_prompt'))
  const annotations = expectList(data.logs, 'logs').map((entry, position) => {
    const field = itemField('logs', position)
    if (!Array.isArray(entry) || entry.length !== 2) {
      fail(field, `expected [message, annotation] pair, got ${describeValue(entry)}`)
    }
    const message = expectString(entry[0], itemField(field, 0), 'a string (the annotated message)')
    const rawText = expectString(entry[1], itemField(field, 1), 'a string (the annotation)')
    const { values, parsed } = parseLegacyAnnotationText(rawText)
    return validateAnnotationDraft(
      { position, quoted_text: message, quoted_author: null, annotator, values, raw_text: rawText, parsed, created_at: createdAt },
      field
    )
  })
  return { kind: 'annotations', format, discussionId, annotations }
}
