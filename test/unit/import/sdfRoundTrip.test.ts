import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportSdfFiles, importIntoWorkspace, Workspace, type Annotation, type Discussion } from '../../../src/core/index.js'
import { SDF_FIXTURES } from '../../helpers/fixtures.js'
import { tempDir } from '../../helpers/tempDir.js'

const withoutSource = ({ source: _source, ...rest }: Discussion) => rest
const annotationEssentials = (annotation: Annotation) => ({
  discussion_id: annotation.discussion_id,
  comment_index: annotation.comment_index,
  values: annotation.values,
  raw_text: annotation.raw_text,
  parsed: annotation.parsed,
  annotator: annotation.annotator
})

describe('the SDF round trip', () => {
  it('import → export in the SDF schema → import gives the same discussions, comments and annotations', async () => {
    const original = await Workspace.create(await tempDir())
    const first = await importIntoWorkspace(original, [SDF_FIXTURES])
    expect(first.errors).toEqual([])

    const exported = join(await tempDir(), 'sdf-export')
    const result = await exportSdfFiles(original, exported)
    expect(result.discussions).toBe(first.discussions)

    const copy = await Workspace.create(await tempDir())
    const second = await importIntoWorkspace(copy, [exported])
    expect(second.errors).toEqual([])
    expect(second.discussions).toBe(first.discussions)
    expect(second.comments).toBe(first.comments)

    const ids = await original.discussions.ids()
    expect(await copy.discussions.ids()).toEqual(ids)
    for (const id of ids) {
      const before = await original.discussions.get(id)
      const after = await copy.discussions.get(id)
      expect(withoutSource(after!)).toEqual(withoutSource(before!))
      const labelsBefore = (await original.annotations.list(id)).annotations.map(annotationEssentials)
      const labelsAfter = (await copy.annotations.list(id)).annotations.map(annotationEssentials)
      expect(labelsAfter).toEqual(expect.arrayContaining(labelsBefore))
      expect(labelsAfter).toHaveLength(labelsBefore.length)
    }
  })
})
