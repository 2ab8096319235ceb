import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  PathOutsideWorkspaceError,
  watchWorkspace,
  Workspace,
  type WorkspaceChange
} from '../../../src/core/workspace/index.js'
import type { Persona } from '../../../src/core/schema/index.js'
import { isStarterRecord, STARTER_LIBRARY } from '../../../src/core/starter/index.js'
import { tempDir } from '../../helpers/tempDir.js'

const persona: Persona = {
  id: 'darkshadow333',
  username: 'DarkShadow333',
  age: 29,
  sex: 'male',
  personality_characteristics: ['outgoing'],
  extra_attributes: {}
}

describe('a workspace', () => {
  it('is created with its manifest, folders and the starter examples only, and opens again', async () => {
    const root = join(await tempDir(), 'study')
    await Workspace.create(root)
    const manifest = JSON.parse(await readFile(join(root, 'sdf-workspace.json'), 'utf8'))
    expect(manifest).toMatchObject({ format: 'sdf-studio-workspace', version: 1 })
    const reopened = await Workspace.open(root)
    expect(await reopened.summary()).toEqual({
      personas: STARTER_LIBRARY.personas.length,
      topics: STARTER_LIBRARY.topics.length,
      instructions: STARTER_LIBRARY.instructions.length,
      discussion_configs: 0,
      discussions: 0,
      annotations: 0,
      unlinked_annotations: 0
    })
    const { items } = await reopened.personas.list()
    expect(items.every((record) => record.example === true)).toBe(true)
  })

  it('refuses to open a folder that is not a workspace, saying how to fix it', async () => {
    const root = await tempDir()
    await expect(Workspace.open(root)).rejects.toThrow(/is not an SDF Studio workspace.*create one first/)
  })

  it('refuses a manifest of another format', async () => {
    const root = await tempDir()
    await writeFile(join(root, 'sdf-workspace.json'), '{"format": "something-else"}')
    await expect(Workspace.open(root)).rejects.toThrow(/not an SDF Studio workspace manifest/)
  })

  it('stores a record as readable JSON named after its id', async () => {
    const workspace = await Workspace.create(await tempDir())
    await workspace.personas.put(persona)
    const onDisk = JSON.parse(await readFile(join(workspace.root, 'personas', 'darkshadow333.json'), 'utf8'))
    expect(onDisk).toMatchObject({ username: 'DarkShadow333', age: 29 })
    expect(await workspace.personas.get('darkshadow333')).toEqual(persona)
  })

  it('rejects an invalid record, naming the field, and writes nothing', async () => {
    const workspace = await Workspace.create(await tempDir())
    const before = await workspace.personas.ids()
    await expect(workspace.personas.put({ ...persona, username: '' })).rejects.toThrow(/field username/)
    expect(await workspace.personas.ids()).toEqual(before)
  })

  it('never lets an id point outside its folder', async () => {
    const workspace = await Workspace.create(await tempDir())
    await expect(workspace.personas.put({ ...persona, id: '../escape' })).rejects.toThrow(/field id/)
    expect(() => workspace.personas.pathOf('../../etc/passwd')).toThrow()
  })

  it('refuses workspace-relative paths that escape the workspace', async () => {
    const workspace = await Workspace.create(await tempDir())
    expect(workspace.resolve('discussions', 'a.json')).toBe(join(workspace.root, 'discussions', 'a.json'))
    expect(() => workspace.resolve('../outside.json')).toThrow(PathOutsideWorkspaceError)
    expect(() => workspace.resolve('/etc/passwd')).toThrow(PathOutsideWorkspaceError)
    expect(() => workspace.resolve('discussions/../../x')).toThrow(PathOutsideWorkspaceError)
  })

  it('sees edits made to its files by other programs', async () => {
    const workspace = await Workspace.create(await tempDir())
    await workspace.personas.put(persona)
    expect((await workspace.personas.get(persona.id))?.age).toBe(29)
    const path = join(workspace.root, 'personas', `${persona.id}.json`)
    await writeFile(path, JSON.stringify({ ...persona, age: '30-39 (edited)' }))
    expect((await workspace.personas.get(persona.id))?.age).toBe('30-39 (edited)')
  })

  it('lists the valid records and reports a damaged file instead of failing', async () => {
    const workspace = await Workspace.create(await tempDir())
    await workspace.personas.put(persona)
    await writeFile(join(workspace.root, 'personas', 'broken.json'), '{ "username": ')
    await writeFile(join(workspace.root, 'personas', 'wrong.json'), JSON.stringify({ id: 'wrong', username: 7 }))
    const { items, problems } = await workspace.personas.list()
    expect(items.filter((item) => !isStarterRecord(item)).map((item) => item.id)).toEqual(['darkshadow333'])
    expect(problems).toEqual([
      { file: join(workspace.root, 'personas', 'broken.json'), message: expect.stringMatching(/not valid JSON/) },
      { file: join(workspace.root, 'personas', 'wrong.json'), message: expect.stringMatching(/field username/) }
    ])
  })

  it('tells watchers about changes made outside the app', async () => {
    const workspace = await Workspace.create(await tempDir())
    const changes: WorkspaceChange[] = []
    const stop = watchWorkspace(workspace.root, (batch) => changes.push(...batch), 20)
    try {
      await mkdir(join(workspace.root, 'topics'), { recursive: true })
      await writeFile(join(workspace.root, 'topics', 'edited.json'), '{}')
      await expect.poll(() => changes.map((change) => change.file), { timeout: 3000 }).toContain('topics/edited.json')
      expect(changes.find((change) => change.file === 'topics/edited.json')?.folder).toBe('topics')
    } finally {
      stop()
    }
  })
})
