import { describe, expect, it } from 'vitest'
import {
  AnnotatorSpecSchema,
  DiscussionSchema,
  ExperimentDesignSchema,
  IdSchema,
  InstructionSchema,
  PersonaSchema,
  TopicSchema
} from '../../../src/core/index.js'
import { ApiError, appContract, createHandlerTable, createWorkspaceMethods, type WorkspaceChanged } from '../../../src/shared/index.js'
import { emptyWorkspace } from '../../helpers/emptyWorkspace.js'
import { tempDir } from '../../helpers/tempDir.js'
import { fakeImplementation } from './appFakes.js'

const schemas = {
  persona: PersonaSchema,
  topic: TopicSchema,
  instruction: InstructionSchema,
  discussion: DiscussionSchema,
  design: ExperimentDesignSchema,
  annotator: AnnotatorSpecSchema,
  id: IdSchema
}

async function setUp(open = true) {
  const workspace = open ? await emptyWorkspace(await tempDir()) : null
  const changes: WorkspaceChanged[] = []
  const methods = createWorkspaceMethods({
    current: () => workspace,
    schemas,
    importFiles: async () => ({ personas: 1, topics: 0, instructions: 0, discussions: 0, comments: 0, annotations: 0, errors: [] }),
    exportSdf: async (_workspace, ids) => ({ discussions: ids?.length ?? 0, annotationFiles: 0, files: [] }),
    changed: (event) => changes.push(event)
  })
  // Through a handler table, as every host serves them: input and output are parsed on the way.
  const table = createHandlerTable(appContract, fakeImplementation(methods))
  return { workspace, table, changes }
}

describe('the workspace methods', () => {
  it('store a record checked against core’s schema and answer it as stored (defaults filled in)', async () => {
    const { table, changes } = await setUp()
    const stored = await table['personas.put']({ record: { id: 'ada', username: 'Ada' } })
    expect(stored).toEqual({ id: 'ada', username: 'Ada', extra_attributes: {} })
    await expect(table['personas.get']({ id: 'ada' })).resolves.toEqual(stored)
    await expect(table['personas.list']({})).resolves.toEqual({ items: [stored], problems: [], total: 1, nextOffset: null })
    expect(changes).toEqual([{ kinds: ['persona'] }])
  })

  it('refuse an invalid record with a sentence naming the field, and the issues as details', async () => {
    const { table, workspace } = await setUp()
    const error = await table['personas.put']({ record: { id: 'ada', username: '  ' } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({
      code: 'invalid-input',
      message: 'This persona is not valid: field username: must be a non-empty name',
      details: { issues: [expect.objectContaining({ path: ['username'] })] }
    })
    expect(await workspace?.personas.ids()).toEqual([])
  })

  it('refuse ids that could name a path, before touching the disk', async () => {
    const { table } = await setUp()
    await expect(table['topics.get']({ id: '../../etc/passwd' })).rejects.toMatchObject({ code: 'invalid-input' })
    await expect(table['topics.put']({ record: { id: '../x', title: 't', text: 't' } })).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/^This topic is not valid: field id:/)
    })
    await expect(table['topics.delete']({ id: '..' })).rejects.toMatchObject({ code: 'invalid-input' })
  })

  it('answer not-found for a record that is not there, and delete only what exists', async () => {
    const { table, changes } = await setUp()
    await expect(table['instructions.get']({ id: 'nope' })).rejects.toMatchObject({
      code: 'not-found',
      message: 'There is no instruction "nope" in this workspace.'
    })
    await table['instructions.put']({ record: { id: 'mod', kind: 'moderator', name: 'mod', text: 'Be kind.' } })
    await expect(table['instructions.delete']({ id: 'mod' })).resolves.toEqual({ deleted: true })
    await expect(table['instructions.delete']({ id: 'mod' })).resolves.toEqual({ deleted: false })
    expect(changes).toHaveLength(2)
  })

  it('check a discussion with every rule of core’s schema', async () => {
    const { table } = await setUp()
    const comment = { index: 1, author: 'a', role: 'user', raw_text: 'x', text: 'x' }
    await expect(table['discussions.put']({ record: { id: 'd', participants: [], comments: [comment] } })).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('indices must run 0, 1, 2')
    })
  })

  it('summarise the open workspace, counting unlinked annotations too', async () => {
    const { table, workspace } = await setUp()
    await table['topics.put']({ record: { id: 't1', title: 'T', text: 'text' } })
    await expect(table['workspace.summary']({})).resolves.toEqual({
      path: workspace?.root,
      counts: { personas: 0, topics: 1, instructions: 0, discussions: 0, annotations: 0 }
    })
  })

  it('say that no workspace is open instead of failing obscurely', async () => {
    const { table } = await setUp(false)
    await expect(table['workspace.summary']({})).rejects.toMatchObject({ code: 'no-workspace' })
    await expect(table['personas.list']({})).rejects.toMatchObject({ code: 'no-workspace' })
  })

  it('export only discussions that exist, and announce imports', async () => {
    const { table, changes } = await setUp()
    await expect(table['export.sdf']({ discussionIds: ['missing'] })).rejects.toMatchObject({ code: 'not-found' })
    await expect(table['export.sdf']({})).resolves.toEqual({ discussions: 0, annotationFiles: 0, files: [] })
    await table['import.files']({ files: [{ name: 'a.json', text: '{}' }] })
    expect(changes.at(-1)).toEqual({ kinds: ['persona', 'topic', 'instruction', 'discussion', 'design', 'annotator'] })
  })
})
