import type { Workspace } from '../workspace/workspace.js'
import type { Corpus } from './corpus.js'
import { hasCorpus, loadCorpus } from './corpusStore.js'

/**
 * The corpora a design samples seeds from, to pass to `expandDesign` as `library.corpora`. A corpus
 * missing from the workspace is left out, so expansion reports it with the design's other problems.
 */
export async function loadDesignCorpora(
  workspace: Workspace,
  design: { factors: { seed_source?: { corpus_id: string } | undefined } }
): Promise<Corpus[]> {
  const id = design.factors.seed_source?.corpus_id
  if (id === undefined || !(await hasCorpus(workspace, id))) return []
  return [await loadCorpus(workspace, id)]
}
