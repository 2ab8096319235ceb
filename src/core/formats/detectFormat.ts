import type { SourceFormat } from '../schema/index.js'
import { FormatError, type ParseOptions, type SourceFile, type TextFileKind } from './parsedSource.js'
import { classifyAnnotationFile } from './readAnnotations.js'
import { classifyConversation } from './readConversation.js'
import { classifyPersona, classifyPersonaList, looksLikePersona } from './readPersonas.js'
import { isSdfStudioFile } from './readSdfStudio.js'
import { looksLikeRunConfig, OTHER_CONFIG_KEYS, parseYamlMapping } from './readSettings.js'
import { isAnnotationLogs } from './readSyndiscoLogs.js'
import { textKindFromPath, UNKNOWN_TEXT_KIND_MESSAGE } from './readTextFile.js'
import { fail, isRecord, ReadError, type JsonRecord } from './valueChecks.js'

/** What a file holds, decided from its content; folders and extensions only break ties. */
export type DetectedSource =
  | { format: 'sdf-topic-text' | 'sdf-instruction-text'; text: string; textKind: TextFileKind }
  | { format: Exclude<SourceFormat, 'sdf-topic-text' | 'sdf-instruction-text'>; data: unknown }

type DataFormat = Extract<DetectedSource, { data: unknown }>['format']

/** The SDF/SynDisco format of parsed JSON, or null when it is none of them. */
export function classifyJson(data: unknown): DataFormat | null {
  if (Array.isArray(data)) return data.some(isRecord) ? (classifyPersonaList(data) as DataFormat) : null
  if (!isRecord(data)) return null
  if (isSdfStudioFile(data)) return 'sdf-studio'
  if ('logs' in data) {
    if ('conv_id' in data) return classifyAnnotationFile(data)
    if ('id' in data || 'users' in data || 'user_prompts' in data) return classifyConversation(data)
    return isAnnotationLogs(data) ? 'syndisco-2.1-annotation-logs' : 'syndisco-2.1-logs'
  }
  if ('user_names' in data || 'user_attributes' in data) return 'sdf-llm-conv-data'
  if ('attributes' in data && 'instructions' in data) return 'sdf-annotation-config'
  if (OTHER_CONFIG_KEYS.some((key) => key in data)) return 'sdf-other-configs'
  if (looksLikeRunConfig(data)) return 'sdf-v0.2-run-config'
  if (looksLikePersona(data)) return classifyPersona(data)
  return null
}

function unrecognised(data: unknown): never {
  const keys = isRecord(data) ? Object.keys(data) : []
  const shown = keys.slice(0, 6).map((key) => `"${key}"`).join(', ')
  const what = isRecord(data)
    ? keys.length === 0
      ? 'an empty JSON object'
      : `a JSON object with keys ${shown}${keys.length > 6 ? ', …' : ''}`
    : Array.isArray(data)
      ? data.length === 0
        ? 'an empty JSON list'
        : 'a JSON list without objects'
      : 'a bare JSON value'
  return fail(
    undefined,
    `not a recognised SDF or SynDisco file: ${what}. Expected a persona (username, …), a conversation ` +
      '(id, users, logs), an annotation file (conv_id, logs), a SynDisco log (timestamp, logs), ' +
      'an LLMConvData config (context, user_names, user_attributes) or a settings file (conv_len, turn_manager_type, …)'
  )
}

function extension(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? ''
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
}

function yamlRunConfigOrNull(text: string): JsonRecord | null {
  try {
    const data = parseYamlMapping(text)
    return looksLikeRunConfig(data) ? data : null
  } catch (error) {
    if (error instanceof ReadError) return null
    throw error
  }
}

function parseJson(json: string): unknown {
  try {
    return JSON.parse(json)
  } catch (error) {
    return fail(undefined, `invalid JSON: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/**
 * Like `detectFormat` but throws `ReadError`; for `parseSourceFile`, which reports it with the file.
 * `options.textKind` decides only what a *text* file is (over its folders): an importer passes it
 * for a whole folder, whose JSON and YAML files must still be read as what they are.
 */
export function detectSource(file: SourceFile, options: ParseOptions = {}): DetectedSource {
  const { text, path } = file
  const asText = (textKind: TextFileKind): DetectedSource => ({
    format: textKind === 'topic' ? 'sdf-topic-text' : 'sdf-instruction-text',
    text,
    textKind
  })
  if (text.trim() === '') fail(undefined, 'empty file: nothing to read')
  const textKind = options.textKind ?? textKindFromPath(path)
  // JSON may follow a BOM or white space (several SDF persona files start with a space).
  const json = text.trimStart()
  if (json.startsWith('{') || json.startsWith('[')) {
    let data: unknown
    try {
      data = JSON.parse(json)
    } catch (error) {
      // A topic can begin with "[" ("[removed] …"); its folder says it is text.
      if (textKind) return asText(textKind)
      fail(undefined, `invalid JSON: ${error instanceof Error ? error.message : String(error)}`)
    }
    const format = classifyJson(data)
    if (format) return { format, data }
    if (textKind) return asText(textKind)
    unrecognised(data)
  }
  const ext = extension(path)
  if (ext === 'yml' || ext === 'yaml') return { format: 'sdf-v0.2-run-config', data: parseYamlMapping(text) }
  if (textKind) return asText(textKind)
  // A bare JSON value (`42`, `"text"`) in a .json file: say what it is rather than ask for a folder.
  if (ext === 'json') unrecognised(parseJson(json))
  const yaml = yamlRunConfigOrNull(text)
  if (yaml) return { format: 'sdf-v0.2-run-config', data: yaml }
  return fail(undefined, UNKNOWN_TEXT_KIND_MESSAGE)
}

/** Which SDF/SynDisco format a file is in, with its parsed content; never throws. */
export function detectFormat(file: SourceFile, options: ParseOptions = {}): DetectedSource | FormatError {
  try {
    return detectSource(file, options ?? {})
  } catch (error) {
    const path = typeof file?.path === 'string' ? file.path : ''
    if (error instanceof ReadError) return new FormatError(path, error.message, error.field)
    return new FormatError(path, `could not be read: ${error instanceof Error ? error.message : String(error)}`)
  }
}
