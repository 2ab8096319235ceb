import { mkdir, symlink, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importIntoWorkspace, Workspace, type ImportReport } from '../../../src/core/index.js'
import { tempDir } from '../../helpers/tempDir.js'
import { snapshotTree } from '../../helpers/workspaceSnapshot.js'

const goodPersona = { username: 'GoodUser', age: 40, sex: 'female', personality_characteristics: ['calm'] }

/**
 * Imports one bad file next to one good one into a workspace that already holds data, and checks
 * that the bad file is reported, the good one imported, and nothing else in the workspace changed.
 */
async function importBesideGoodFile(
  writeBadFile: (folder: string) => Promise<string>
): Promise<{ report: ImportReport; badFile: string; changed: string[] }> {
  const workspace = await Workspace.create(await tempDir())
  const seed = await tempDir()
  await writeFile(join(seed, 'existing.json'), JSON.stringify({ ...goodPersona, username: 'Existing' }))
  await importIntoWorkspace(workspace, [seed])
  const before = await snapshotTree(workspace.root)

  const input = await tempDir()
  await writeFile(join(input, 'good.json'), JSON.stringify(goodPersona))
  const badFile = await writeBadFile(input)
  const report = await importIntoWorkspace(workspace, [input])

  const after = await snapshotTree(workspace.root)
  const changed = Object.keys(after).filter((file) => after[file] !== before[file])
  return { report, badFile, changed }
}

function expectOnlyGoodPersonaAdded(changed: string[]): void {
  expect(changed).toHaveLength(1)
  expect(changed[0]).toMatch(/^personas\/gooduser-[0-9a-f]{8}\.json$/)
}

describe('bad input is reported by file and field and changes nothing else', () => {
  const cases: [string, (folder: string) => Promise<string>, RegExp][] = [
    [
      'malformed JSON',
      async (folder) => writeTo(join(folder, 'broken.json'), '{"username": "x", '),
      /JSON/i
    ],
    [
      'a persona missing username',
      async (folder) => writeTo(join(folder, 'nameless.json'), JSON.stringify({ age: 30, sex: 'male', personality_characteristics: [] })),
      /username/
    ],
    [
      'a persona field of the wrong type',
      async (folder) =>
        writeTo(join(folder, 'typed.json'), JSON.stringify({ ...goodPersona, username: 'Typed', personality_characteristics: 'calm' })),
      /personality_characteristics/
    ],
    [
      'a persona array with one bad entry (none of it is written)',
      async (folder) =>
        writeTo(join(folder, 'many.json'), JSON.stringify([{ ...goodPersona, username: 'Fine' }, { age: 3 }])),
      /\[1\]\.username/
    ],
    [
      'duplicate usernames in one discussion',
      async (folder) =>
        writeTo(
          join(folder, 'dupes.json'),
          JSON.stringify({
            id: 'dup-conv',
            timestamp: '24-11-15-12-43',
            users: ['alice', 'alice'],
            moderator: null,
            user_prompts: ['You are alice', 'You are alice'],
            moderator_prompt: null,
            ctx_length: 2,
            logs: [['alice', 'hi']]
          })
        ),
      /duplicate|users/i
    ],
    [
      'a discussion id that would escape its folder',
      async (folder) =>
        writeTo(
          join(folder, 'escape.json'),
          JSON.stringify({ id: '../../outside', timestamp: 't', users: ['a'], moderator: null, user_prompts: ['p'], moderator_prompt: null, ctx_length: 2, logs: [['a', 'hi']] })
        ),
      /id/
    ],
    ['a binary file', async (folder) => writeTo(join(folder, 'blob.json'), Buffer.from([0x7b, 0x00, 0xff, 0x10])), /binary/],
    ['a file that is not UTF-8', async (folder) => writeTo(join(folder, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9])), /UTF-8/],
    ['an empty file', async (folder) => writeTo(join(folder, 'empty.json'), ''), /empty/],
    ['a file of only white space', async (folder) => writeTo(join(folder, 'blank.json'), '  \n\t\n'), /empty/],
    [
      'a file over 100 MB',
      async (folder) => {
        const path = join(folder, 'huge.json')
        await writeFile(path, '')
        await truncate(path, 101 * 1024 * 1024) // sparse: no real 101 MB written
        return path
      },
      /100 MB/
    ],
    [
      'a symbolic link loop',
      async (folder) => {
        const loop = join(folder, 'nested')
        await mkdir(loop)
        await symlink(folder, join(loop, 'back-to-top'))
        return join(loop, 'back-to-top')
      },
      /loop/
    ],
    [
      'a broken symbolic link',
      async (folder) => {
        const link = join(folder, 'dangling.json')
        await symlink(join(folder, 'does-not-exist.json'), link)
        return link
      },
      /broken symbolic link/
    ],
    [
      'a text file whose folder does not say what it is',
      async (folder) => writeTo(join(folder, 'notes.txt'), 'some text'),
      /topic or an instruction/
    ],
    [
      'an unsupported file type',
      async (folder) => writeTo(join(folder, 'script.py'), 'print(1)'),
      /unsupported file type/
    ]
  ]

  it.each(cases)('%s', async (_name, writeBadFile, messagePattern) => {
    const { report, badFile, changed } = await importBesideGoodFile(writeBadFile)
    expect(report.errors).toEqual([{ file: badFile, message: expect.stringMatching(messagePattern) }])
    expect(report.personas).toBe(1)
    expectOnlyGoodPersonaAdded(changed)
  })

  it('reports a path that does not exist', async () => {
    const workspace = await Workspace.create(await tempDir())
    const missing = join(await tempDir(), 'nope')
    const report = await importIntoWorkspace(workspace, [missing])
    expect(report.errors).toEqual([{ file: missing, message: 'no such file or folder' }])
  })

  it('refuses a second, different discussion under an id already in the workspace', async () => {
    const workspace = await Workspace.create(await tempDir())
    const conversation = {
      id: 'same-id',
      timestamp: '24-11-15-12-43',
      users: ['alice'],
      moderator: null,
      user_prompts: ['You are alice'],
      moderator_prompt: null,
      ctx_length: 2,
      logs: [['alice', 'first version']]
    }
    const first = await tempDir()
    await writeFile(join(first, 'a.json'), JSON.stringify(conversation))
    await importIntoWorkspace(workspace, [first])
    const before = await snapshotTree(workspace.root)
    const second = await tempDir()
    await writeFile(join(second, 'b.json'), JSON.stringify({ ...conversation, logs: [['alice', 'edited']] }))
    const report = await importIntoWorkspace(workspace, [second])
    expect(report.errors).toEqual([
      { file: join(second, 'b.json'), message: expect.stringMatching(/different discussion with id "same-id"/) }
    ])
    expect(await snapshotTree(workspace.root)).toEqual(before)
  })

  it('never imports the workspace into itself', async () => {
    const workspace = await Workspace.create(await tempDir())
    await writeFile(join(workspace.root, 'personas', 'x.json'), JSON.stringify({ id: 'x', username: 'x', extra_attributes: {} }))
    const report = await importIntoWorkspace(workspace, [workspace.root])
    expect(report.personas).toBe(0)
    expect(report.errors[0]?.message).toMatch(/workspace itself/)
  })
})

async function writeTo(path: string, content: string | Buffer): Promise<string> {
  await writeFile(path, content)
  return path
}
