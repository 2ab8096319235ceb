import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { describeZodError } from '../schema/describeZodError.js'
import { IdSchema } from '../schema/ids.js'
import { writeFileAtomically, writeJsonAtomically } from '../workspace/atomicFile.js'
import { readJsonl } from '../workspace/jsonl.js'
import type { WorkspaceProblem } from '../workspace/jsonCollection.js'
import type { Workspace } from '../workspace/workspace.js'
import { CorpusCommentSchema, CorpusInfoSchema, type Corpus, type CorpusInfo } from './corpus.js'
import { CorpusError } from './corpusError.js'

/**
 * `corpora/<id>/corpus.json` (metadata and import report) beside `corpora/<id>/comments.jsonl`
 * (one comment per line, in file order). Two files because a corpus can hold hundreds of thousands
 * of comments: listing corpora reads only the small one.
 */
export const CORPORA_FOLDER = 'corpora'
export const CORPUS_INFO_FILE = 'corpus.json'
export const CORPUS_COMMENTS_FILE = 'comments.jsonl'

function corpusFolder(workspace: Workspace, id: string): string {
  const parsed = IdSchema.safeParse(id)
  if (!parsed.success) throw new CorpusError(`"${id}" is not a corpus id: ${describeZodError(parsed.error)}`)
  return workspace.resolve(CORPORA_FOLDER, id)
}

export async function hasCorpus(workspace: Workspace, id: string): Promise<boolean> {
  return (await stat(join(corpusFolder(workspace, id), CORPUS_INFO_FILE)).catch(() => undefined)) !== undefined
}

/**
 * Stores a corpus, replacing one with the same id. The comments go first and the metadata last, so
 * a corpus whose metadata exists is complete: a crash mid-import leaves no corpus that looks whole.
 */
export async function saveCorpus(workspace: Workspace, corpus: Corpus): Promise<void> {
  const info = CorpusInfoSchema.parse(corpus.info)
  const folder = corpusFolder(workspace, info.id)
  await mkdir(folder, { recursive: true })
  const lines = corpus.comments.map((comment) => JSON.stringify(CorpusCommentSchema.parse(comment)))
  await writeFileAtomically(join(folder, CORPUS_COMMENTS_FILE), lines.map((line) => `${line}\n`).join(''))
  await writeJsonAtomically(join(folder, CORPUS_INFO_FILE), info)
}

async function readInfo(path: string): Promise<{ info: CorpusInfo } | { problem: string }> {
  let data: unknown
  try {
    data = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    return { problem: `not readable JSON (${(error as Error).message})` }
  }
  const parsed = CorpusInfoSchema.safeParse(data)
  return parsed.success ? { info: parsed.data } : { problem: `not a corpus description: ${describeZodError(parsed.error)}` }
}

/** A corpus with all its comments. Throws a CorpusError naming the file and line of any damage. */
export async function loadCorpus(workspace: Workspace, id: string): Promise<Corpus> {
  const folder = corpusFolder(workspace, id)
  const infoPath = join(folder, CORPUS_INFO_FILE)
  if (!(await hasCorpus(workspace, id))) throw new CorpusError(`no corpus "${id}" in the workspace; import it with sdf import-corpus`)
  const read = await readInfo(infoPath)
  if ('problem' in read) throw new CorpusError(`${infoPath}: ${read.problem}`)
  if (read.info.id !== id) throw new CorpusError(`${infoPath} holds corpus "${read.info.id}" but sits in folder ${id}; rename one to match`)
  const commentsPath = join(folder, CORPUS_COMMENTS_FILE)
  const { records, problems } = await readJsonl(commentsPath, CorpusCommentSchema)
  const first = problems[0]
  if (first) throw new CorpusError(`${commentsPath} line ${first.line}: ${first.message}; re-import the corpus`)
  return { info: read.info, comments: records }
}

/** Every stored corpus's metadata (comments are not read), and the folders that hold none readable. */
export async function listCorpora(workspace: Workspace): Promise<{ items: CorpusInfo[]; problems: WorkspaceProblem[] }> {
  let names: string[]
  try {
    names = await readdir(workspace.resolve(CORPORA_FOLDER))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { items: [], problems: [] }
    throw error
  }
  const items: CorpusInfo[] = []
  const problems: WorkspaceProblem[] = []
  for (const name of names.sort()) {
    if (!IdSchema.safeParse(name).success) continue
    const path = join(workspace.resolve(CORPORA_FOLDER, name), CORPUS_INFO_FILE)
    if (!(await stat(path).catch(() => undefined))) continue
    const read = await readInfo(path)
    if ('problem' in read) problems.push({ file: path, message: read.problem })
    else items.push(read.info)
  }
  return { items, problems }
}

export async function deleteCorpus(workspace: Workspace, id: string): Promise<void> {
  await rm(corpusFolder(workspace, id), { recursive: true, force: true })
}
