import { detectSource, type DetectedSource } from './detectFormat.js'
import { FormatError, type ParsedSource, type ParseOptions, type SourceFile } from './parsedSource.js'
import { readAnnotations } from './readAnnotations.js'
import { readConversation } from './readConversation.js'
import { readLlmConvData } from './readLlmConvData.js'
import { readPersonas } from './readPersonas.js'
import { readSdfStudio } from './readSdfStudio.js'
import { readAnnotationConfig, readOtherConfigs, readRunConfig } from './readSettings.js'
import { readSyndiscoAnnotationLogs, readSyndiscoLogs } from './readSyndiscoLogs.js'
import { readTextFile } from './readTextFile.js'
import { fail, isRecord, ReadError, type JsonRecord } from './valueChecks.js'

function readDetected(detected: DetectedSource, file: SourceFile): ParsedSource {
  if ('text' in detected) return readTextFile(detected.text, file.path, detected.textKind)
  const { format, data } = detected
  if (format.endsWith('-persona') || format === 'sdf-v0.2-persona-array') return readPersonas(data, file.path)
  if (!isRecord(data)) return fail(undefined, 'expected a JSON object')
  const record: JsonRecord = data
  switch (format) {
    case 'sdf-llm-conv-data':
      return readLlmConvData(record)
    case 'sdf-other-configs':
      return readOtherConfigs(record, file.path)
    case 'sdf-annotation-config':
      return readAnnotationConfig(record, file.path)
    case 'sdf-v0.2-run-config':
      return readRunConfig(record, file.path)
    case 'sdf-v0-conversation':
    case 'sdf-v0.1-conversation':
    case 'syndisco-2.0-conversation':
      return readConversation(record, format)
    case 'syndisco-2.1-logs':
      return readSyndiscoLogs(record, file)
    case 'sdf-v0-annotation':
    case 'sdf-v0.2-annotation':
      return readAnnotations(record)
    case 'syndisco-2.1-annotation-logs':
      return readSyndiscoAnnotationLogs(record)
    case 'sdf-studio':
      return readSdfStudio(record)
    default:
      return fail(undefined, `no reader for format ${format}`)
  }
}

/**
 * Reads one file in any SDF, SynDisco or SDF Studio format (spec §1). Never throws: anything that
 * cannot be read, arbitrary bytes included, comes back as a FormatError naming the field to blame.
 */
export function parseSourceFile(file: SourceFile, options: ParseOptions = {}): ParsedSource | FormatError {
  const path = typeof file?.path === 'string' ? file.path : ''
  try {
    if (typeof file?.text !== 'string') fail(undefined, 'no text to read')
    const safe: SourceFile = { path, text: file.text, sha256: typeof file.sha256 === 'string' ? file.sha256 : '' }
    return readDetected(detectSource(safe, options ?? {}), safe)
  } catch (error) {
    if (error instanceof FormatError) return error
    if (error instanceof ReadError) return new FormatError(path, error.message, error.field)
    // Unexpected failures (e.g. stack overflow on absurdly nested data) are still only this file's problem.
    return new FormatError(path, `could not be read: ${error instanceof Error ? error.message : String(error)}`)
  }
}
