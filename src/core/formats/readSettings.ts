import { parseDocument } from 'yaml'
import type { ParsedSource } from './parsedSource.js'
import {
  baseName,
  describeValue,
  expectRecord,
  expectString,
  expectStringList,
  fail,
  isRecord,
  optionalInteger,
  type JsonRecord
} from './valueChecks.js'

/** Keys of SDF's "other configs" JSON (spec §1.4). */
export const OTHER_CONFIG_KEYS = ['conv_len', 'history_ctx_len', 'turn_manager_type', 'turn_manager_config'] as const
/** Top-level sections of the v0.2 YAML and the 2026 run_config.yml (spec §1.9). */
export const RUN_CONFIG_SECTIONS = [
  'actions',
  'logging',
  'model_parameters',
  'discussion_model',
  'discussions',
  'annotation',
  'dataset_export'
] as const

/** Settings files are kept verbatim for provenance; only the types SDF relied on are checked. */
export function readOtherConfigs(data: JsonRecord, path: string): ParsedSource {
  optionalInteger(data.conv_len, 'conv_len')
  optionalInteger(data.history_ctx_len, 'history_ctx_len')
  if (data.turn_manager_type !== undefined) expectString(data.turn_manager_type, 'turn_manager_type')
  if (data.turn_manager_config !== undefined && data.turn_manager_config !== null) {
    const config = expectRecord(data.turn_manager_config, 'turn_manager_config')
    for (const [key, value] of Object.entries(config)) {
      if (typeof value !== 'number') fail(`turn_manager_config.${key}`, `expected a number, got ${describeValue(value)}`)
    }
  }
  return { kind: 'settings', format: 'sdf-other-configs', name: baseName(path), settings: data }
}

/** `LlmAnnotationData` (spec §1.6). */
export function readAnnotationConfig(data: JsonRecord, path: string): ParsedSource {
  expectStringList(data.attributes, 'attributes')
  expectString(data.instructions, 'instructions')
  if (data.include_moderator_comments !== undefined && typeof data.include_moderator_comments !== 'boolean') {
    fail('include_moderator_comments', `expected true or false, got ${describeValue(data.include_moderator_comments)}`)
  }
  optionalInteger(data.history_ctx_len, 'history_ctx_len')
  return { kind: 'settings', format: 'sdf-annotation-config', name: baseName(path), settings: data }
}

/** Parses YAML to plain data; throws with the parser's own message (it names line and column). */
export function parseYamlMapping(text: string): JsonRecord {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: false })
  const [error] = document.errors
  if (error) fail(undefined, `invalid YAML: ${error.message}`)
  const value: unknown = document.toJS({ maxAliasCount: 100 })
  if (!isRecord(value)) fail(undefined, `expected a YAML mapping of settings, got ${describeValue(value)}`)
  return value
}

export function looksLikeRunConfig(value: JsonRecord): boolean {
  return RUN_CONFIG_SECTIONS.some((section) => section in value)
}

export function readRunConfig(data: JsonRecord, path: string): ParsedSource {
  return { kind: 'settings', format: 'sdf-v0.2-run-config', name: baseName(path), settings: data }
}
