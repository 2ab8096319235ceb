import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { STARTER_LIBRARY, Workspace } from '../../../src/core/index.js'
import { createDesktopImplementation, type FolderPurpose } from '../../../src/main/desktopImplementation.js'
import { appContract, createHandlerTable, type WorkspaceChanged } from '../../../src/shared/index.js'
import { tempDir } from '../../helpers/tempDir.js'

function setUp(answers: Partial<Record<FolderPurpose, string | null>>, workspace: Workspace | null = null, modelsFolder: string | null = null) {
  const asked: FolderPurpose[] = []
  const changes: WorkspaceChanged[] = []
  const { implementation, state } = createDesktopImplementation({
    version: '0.1.0',
    platform: 'linux',
    workspace,
    modelsFolder,
    chooseFolder: async (purpose) => {
      asked.push(purpose)
      return answers[purpose] ?? null
    },
    changed: (event) => changes.push(event)
  })
  return { table: createHandlerTable(appContract, implementation), state, asked, changes }
}

describe('the desktop host', () => {
  it('takes workspace paths only from its native dialog; a cancelled dialog changes nothing', async () => {
    const { table, asked } = setUp({})
    await expect(table['workspace.open']({})).resolves.toBeNull()
    expect(asked).toEqual(['open-workspace'])
    await expect(table['app.info']({})).resolves.toMatchObject({ workspacePath: null })
    await expect(table['workspace.summary']({})).rejects.toMatchObject({ code: 'no-workspace' })
  })

  it('creates a workspace, with the starter examples, in the chosen folder and switches to it', async () => {
    const folder = join(await tempDir(), 'study')
    const { table, changes } = setUp({ 'create-workspace': folder })
    await expect(table['workspace.create']({})).resolves.toMatchObject({ path: folder, counts: { personas: STARTER_LIBRARY.personas.length, discussions: 0 } })
    await expect(table['app.info']({})).resolves.toMatchObject({ host: 'electron', workspacePath: folder })
    expect(changes).toHaveLength(1)
  })

  it('explains when the chosen folder is not a workspace', async () => {
    const folder = join(await tempDir(), 'plain')
    await mkdir(folder)
    const { table } = setUp({ 'open-workspace': folder })
    await expect(table['workspace.open']({})).rejects.toMatchObject({ code: 'not-found', message: expect.stringMatching(/is not an SDF Studio workspace/) })
  })

  it('opens an existing workspace', async () => {
    const existing = await Workspace.create(await tempDir())
    const { table } = setUp({ 'open-workspace': existing.root })
    await expect(table['workspace.open']({})).resolves.toMatchObject({ path: existing.root })
  })

  it('remembers the model folder chosen in the dialog', async () => {
    const { table, state } = setUp({ models: '/models' })
    await expect(table['models.chooseFolder']({})).resolves.toEqual({ path: '/models' })
    expect(state.modelFolder).toBe('/models')
  })

  it('starts with the models folder it was launched with (SDF_MODELS_FOLDER), which the dialog can change', async () => {
    const folder = await tempDir()
    const workspace = await Workspace.create(join(folder, 'study'))
    const [launched, chosen] = [join(folder, 'launched'), join(folder, 'chosen')]
    await mkdir(launched)
    await mkdir(chosen)
    const { table, asked } = setUp({ models: chosen }, workspace, launched)
    await expect(table['models.list']({})).resolves.toEqual({ folder: launched, models: [] })
    expect(asked).toEqual([])
    await table['models.chooseFolder']({})
    await expect(table['models.list']({})).resolves.toEqual({ folder: chosen, models: [] })
  })

  it('lists the chosen models folder, answers settings and refuses runs (no model in main)', async () => {
    const folder = await tempDir()
    const workspace = await Workspace.create(join(folder, 'study'))
    const models = join(folder, 'models')
    await mkdir(models)
    const { table } = setUp({ models }, workspace)
    await expect(table['models.list']({})).resolves.toEqual({ folder: null, models: [] })
    await table['models.chooseFolder']({})
    await expect(table['models.list']({})).resolves.toEqual({ folder: models, models: [] })
    await expect(table['designs.list']({})).resolves.toMatchObject({ problems: [] })
    await expect(table['settings.put']({ settings: { theme: 'light' } })).resolves.toMatchObject({ theme: 'light', concurrency: 1 })
    await expect(table['settings.get']({})).resolves.toMatchObject({ theme: 'light' })
    await expect(table['runs.list']({})).resolves.toEqual({ runs: [] })
    await expect(table['runs.start']({ designId: 'x' })).rejects.toMatchObject({ code: 'unavailable' })
    await expect(setUp({}).table['settings.get']({})).rejects.toMatchObject({ code: 'no-workspace' })
  })
})
