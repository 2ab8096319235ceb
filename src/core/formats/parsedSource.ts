import type {
  Annotation,
  Discussion,
  DiscussionConfig,
  Instruction,
  Persona,
  SourceFormat,
  Topic
} from '../schema/index.js'

/** One file handed to the format readers: its path (for messages and folder hints) and text. */
export interface SourceFile {
  /** The path as the user gave it or as found while walking a folder. */
  path: string
  text: string
  /** SHA-256 of the file's bytes, hex; used for content-derived ids (re-imports stay idempotent). */
  sha256: string
}

/** What a user can force for a text file whose folder does not tell what it is. */
export type TextFileKind = 'topic' | 'user-instruction' | 'moderator-instruction' | 'annotator-instruction'

export interface ParseOptions {
  textKind?: TextFileKind
}

export type PersonaDraft = Omit<Persona, 'id' | 'source'>
export type TopicDraft = Omit<Topic, 'id' | 'source'>
export type InstructionDraft = Omit<Instruction, 'id' | 'source'>
export type DiscussionConfigDraft = Omit<DiscussionConfig, 'id' | 'source'>
/**
 * Ids, links and provenance are assigned by the importer; the reader gives content and position.
 * `comment_index` is set only when the source itself records it (SDF Studio's own export); legacy
 * records are aligned to comments by the importer.
 */
export type AnnotationDraft = Omit<Annotation, 'id' | 'comment_index' | 'source' | 'discussion_id'> & {
  comment_index?: number | null
}

export type ParsedSource =
  | { kind: 'personas'; format: SourceFormat; personas: PersonaDraft[] }
  | { kind: 'topic'; format: SourceFormat; topic: TopicDraft }
  | { kind: 'instruction'; format: SourceFormat; instruction: InstructionDraft }
  | { kind: 'discussion-config'; format: SourceFormat; config: DiscussionConfigDraft }
  /** A discussion with its id (from the file, or derived from the file's hash); no `source` yet. */
  | { kind: 'discussion'; format: SourceFormat; discussion: Omit<Discussion, 'source'> }
  | {
      kind: 'annotations'
      format: SourceFormat
      /** The annotated discussion's id, or null when the format does not record it. */
      discussionId: string | null
      annotations: AnnotationDraft[]
    }
  /** Configuration files kept for provenance (other_configs JSON, annotation configs, YAML run configs). */
  | { kind: 'settings'; format: SourceFormat; name: string; settings: Record<string, unknown> }

/**
 * A file that could not be read as any SDF format. `field` is a path into the file's data
 * (e.g. `logs[3].text`, `username`) when one field is to blame.
 */
export class FormatError extends Error {
  override readonly name = 'FormatError'
  constructor(
    readonly file: string,
    message: string,
    readonly field?: string
  ) {
    super(message)
  }

  /** "personas/a.json: field username: must be a non-empty name" */
  describe(): string {
    return `${this.file}: ${this.field ? `field ${this.field}: ` : ''}${this.message}`
  }
}
