import type { ParsedSource, TextFileKind } from './parsedSource.js'
import { baseName, fail, folderNames } from './valueChecks.js'

export const UNKNOWN_TEXT_KIND_MESSAGE =
  'cannot tell whether this text file is a topic or an instruction: put it in a folder named topics/, ' +
  'user_instructions/, mod_instructions/ or annotation_input/instructions/, or choose its kind explicitly'

function kindOfFolder(folder: string, ancestors: readonly string[]): TextFileKind | null {
  const name = folder.toLowerCase()
  if (name.includes('mod_instruction') || name.includes('moderator')) return 'moderator-instruction'
  if (name.includes('user_instruction') || name.includes('troll_instruction')) return 'user-instruction'
  if (name.includes('topic')) return 'topic'
  if (name.includes('instruction') && ancestors.some((a) => a.toLowerCase().includes('annotation'))) {
    return 'annotator-instruction'
  }
  return null
}

/**
 * What SDF's folder layout says a text file is. The nearest telling folder wins, so
 * `topic_study/data/user_instructions/x.txt` is a user instruction.
 */
export function textKindFromPath(path: string): TextFileKind | null {
  const folders = folderNames(path)
  for (let i = 0; i < folders.length; i += 1) {
    const kind = kindOfFolder(folders[i] as string, folders.slice(i + 1))
    if (kind) return kind
  }
  return null
}

const INSTRUCTION_KIND = {
  'user-instruction': 'user',
  'moderator-instruction': 'moderator',
  'annotator-instruction': 'annotator'
} as const

/**
 * Topics and instructions are used verbatim (spec §1.2, §1.3): no trimming, and escape sequences such
 * as a literal backslash-n stay as written, because that is what the original passed to the model.
 */
export function readTextFile(text: string, path: string, kind: TextFileKind): ParsedSource {
  if (text.trim() === '') fail(undefined, 'empty file: a topic or instruction needs some text')
  const name = baseName(path)
  if (kind === 'topic') {
    return { kind: 'topic', format: 'sdf-topic-text', topic: { title: name, text, seed_comments: [] } }
  }
  return {
    kind: 'instruction',
    format: 'sdf-instruction-text',
    instruction: { kind: INSTRUCTION_KIND[kind], name, text }
  }
}
