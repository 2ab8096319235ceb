import { basename, dirname } from 'node:path'
import { parseSourceFile } from '../formats/parseSourceFile.js'
import { FormatError, type ParsedSource, type SourceFile, type TextFileKind } from '../formats/parsedSource.js'
import {
  IdSchema,
  type Annotation,
  type Discussion,
  type SourceRef
} from '../schema/index.js'
import type { Workspace } from '../workspace/workspace.js'
import { canonicalJson } from '../canonicalJson.js'
import { contentId } from './contentIds.js'
import { findImportFiles } from './findImportFiles.js'
import { emptyImportReport, type ImportReport } from './importReport.js'
import { readImportContent, readImportFile } from './readImportFile.js'

export interface ImportOptions {
  /** What a text file is when its folder does not say (topics/, user_instructions/, …). */
  textKind?: TextFileKind
  onProgress?: (progress: { done: number; total: number; file: string }) => void
  /** Told about documentation files passed over while walking folders (README.md, LICENSE…). */
  onSkip?: (path: string) => void
}

/** A problem that rejects one file; the file's records are not written. */
class RejectedFile extends Error {}

/**
 * Imports files and folders into a workspace. Each file is read, recognised and validated in full
 * before anything of it is written, so a bad file changes nothing; it is reported and the others
 * go on. Re-importing the same files adds nothing new.
 */
export async function importIntoWorkspace(
  workspace: Workspace,
  paths: readonly string[],
  options: ImportOptions = {}
): Promise<ImportReport> {
  const report = emptyImportReport()
  const startedAt = new Date().toISOString()
  const { files, problems, skipped } = await findImportFiles(paths, workspace.root)
  report.errors.push(...problems)
  for (const path of skipped) options.onSkip?.(path)

  for (const [done, path] of files.entries()) {
    options.onProgress?.({ done, total: files.length, file: path })
    await importOne(workspace, path, await readImportFile(path), report, startedAt, options)
  }
  options.onProgress?.({ done: files.length, total: files.length, file: '' })

  return report
}

/**
 * Imports files given as contents (uploads, drops) rather than paths, with the same checks and the
 * same report; a name used twice is imported once and reported.
 */
export async function importFileContents(
  workspace: Workspace,
  files: readonly { name: string; text: string }[],
  options: Pick<ImportOptions, 'textKind'> = {}
): Promise<ImportReport> {
  const report = emptyImportReport()
  const startedAt = new Date().toISOString()
  const seen = new Set<string>()
  for (const { name, text } of files) {
    if (seen.has(name)) {
      report.errors.push({ file: name, message: 'given more than once; only the first copy was imported' })
      continue
    }
    seen.add(name)
    await importOne(workspace, name, readImportContent(name, text), report, startedAt, options)
  }
  return report
}

async function importOne(
  workspace: Workspace,
  name: string,
  read: SourceFile | { problem: string },
  report: ImportReport,
  startedAt: string,
  options: Pick<ImportOptions, 'textKind'>
): Promise<void> {
  if ('problem' in read) {
    report.errors.push({ file: name, message: read.problem })
    return
  }
  const parsed = parseSourceFile(read, options.textKind ? { textKind: options.textKind } : {})
  if (parsed instanceof FormatError) {
    report.errors.push({ file: name, message: parsed.field ? `field ${parsed.field}: ${parsed.message}` : parsed.message })
    return
  }
  try {
    await storeParsedSource(workspace, read, parsed, report, startedAt)
  } catch (error) {
    report.errors.push({ file: name, message: error instanceof Error ? error.message : String(error) })
  }
}

async function storeParsedSource(
  workspace: Workspace,
  file: SourceFile,
  parsed: ParsedSource,
  report: ImportReport,
  importedAt: string
): Promise<void> {
  const source: SourceRef = { file: file.path, format: parsed.format, sha256: file.sha256, imported_at: importedAt }
  switch (parsed.kind) {
    case 'personas': {
      // Every persona of the file is checked before the first is written: all or nothing.
      const personas = parsed.personas.map((draft) =>
        workspace.personas.validate({ ...draft, id: contentId(draft.username, draft, 'persona'), source })
      )
      for (const persona of personas) await workspace.personas.putIfAbsent(persona)
      report.personas += personas.length
      return
    }
    case 'topic': {
      await workspace.topics.putIfAbsent({ ...parsed.topic, id: contentId(parsed.topic.title, parsed.topic, 'topic'), source })
      report.topics += 1
      return
    }
    case 'instruction': {
      const { instruction } = parsed
      await workspace.instructions.putIfAbsent({
        ...instruction,
        id: contentId(`${instruction.kind}-${instruction.name}`, instruction, 'instruction'),
        source
      })
      report.instructions += 1
      return
    }
    case 'discussion-config': {
      await workspace.discussionConfigs.putIfAbsent({ ...parsed.config, id: `config-${file.sha256.slice(0, 16)}`, source })
      return
    }
    case 'settings': {
      await workspace.settings.putIfAbsent({
        id: contentId(parsed.name, parsed.settings, 'settings'),
        name: parsed.name,
        format: parsed.format,
        settings: parsed.settings,
        source
      })
      return
    }
    case 'discussion': {
      const discussion = workspace.discussions.validate({
        ...parsed.discussion,
        conditions:
          parsed.format === 'sdf-studio' ? parsed.discussion.conditions : legacyConditions(file.path),
        source
      })
      await storeDiscussion(workspace, discussion)
      report.discussions += 1
      report.comments += discussion.comments.length
      return
    }
    case 'annotations': {
      await storeAnnotations(workspace, file, parsed, source)
      report.annotations += parsed.annotations.length
      return
    }
  }
}

/**
 * SDF's analyses took the folder a discussion file sat in as its experimental variant
 * (`data/discussions_output/collective_constitution/…` → `conv_variant`, spec §1.11); imported
 * legacy discussions get that as their condition. SDF Studio's own files carry theirs.
 */
function legacyConditions(path: string): Record<string, string> {
  const folder = basename(dirname(path))
  return folder && folder !== '.' && folder !== '/' ? { conv_variant: folder } : {}
}

async function storeDiscussion(workspace: Workspace, discussion: Discussion): Promise<void> {
  const existing = await workspace.discussions.get(discussion.id).catch(() => undefined)
  if (existing) {
    const { source: _newSource, ...incoming } = discussion
    const { source: oldSource, ...stored } = existing
    if (canonicalJson(incoming) !== canonicalJson(stored)) {
      throw new RejectedFile(
        `a different discussion with id "${discussion.id}" is already in the workspace` +
          `${oldSource ? ` (imported from ${oldSource.file})` : ''}; this file was not imported. ` +
          'If both are genuine, give one of them a new "id".'
      )
    }
  }
  else await workspace.discussions.put(discussion)
  await workspace.annotations.linkWaiting(discussion)
}

async function storeAnnotations(
  workspace: Workspace,
  file: SourceFile,
  parsed: Extract<ParsedSource, { kind: 'annotations' }>,
  source: SourceRef
): Promise<void> {
  const { discussionId } = parsed
  if (discussionId !== null && !IdSchema.safeParse(discussionId).success) {
    throw new RejectedFile(
      `field conv_id: "${discussionId}" is not a usable discussion id (letters, digits, ".", "_" and "-" only)`
    )
  }
  const records: Annotation[] = parsed.annotations.map(({ comment_index, ...draft }) => ({
    ...draft,
    id: `ann-${file.sha256.slice(0, 16)}-${draft.position}`,
    discussion_id: discussionId,
    comment_index: comment_index ?? null,
    source
  }))
  if (discussionId === null) {
    // SynDisco ≥2.1 annotation logs do not say which discussion they annotate.
    await workspace.annotations.addUnlinked(`unknown-discussion-${file.sha256.slice(0, 16)}`, records)
    return
  }
  await workspace.annotations.addUnlinked(discussionId, records)
  const discussion = await workspace.discussions.get(discussionId).catch(() => undefined)
  if (discussion) await workspace.annotations.linkWaiting(discussion)
}
