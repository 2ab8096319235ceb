// The public face of the SDF/SynDisco format layer: pure readers and writers, no file system.
export * from './parsedSource.js'
export { parseSourceFile } from './parseSourceFile.js'
export { detectFormat, type DetectedSource } from './detectFormat.js'
export { textKindFromPath } from './readTextFile.js'
export { parseLegacyAnnotationText, normaliseLabelKey, type LegacyAnnotationValues } from './legacyAnnotationText.js'
export { recoverPersona, splitAttributeText, type RecoveredPersona } from './recoverPersona.js'
export { splitLegacySystemPrompt, type SplitSystemPrompt } from './splitLegacySystemPrompt.js'
export { parsePythonStringList, pythonJsonDump, pythonJsonDumps } from './pythonLiterals.js'
export { zodIssueToFormatError } from './zodIssueToFormatError.js'
export { toSdfConversation, type SdfConversationJson, type SdfLogEntryJson } from './writeSdfConversation.js'
export {
  toSdfAnnotationFiles,
  type SdfAnnotationExportOptions,
  type SdfAnnotationFileJson
} from './writeSdfAnnotations.js'
export { toLlmConvData, type LlmConvDataJson } from './writeLlmConvData.js'
export { toSdfPersona, type SdfPersonaJson } from './writeSdfPersona.js'
export { SDF_STUDIO_EXPORT_VERSION } from './sdfStudioExtras.js'
