import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SDF_FIXTURES } from '../../helpers/fixtures.js'
import { connectClient, startTestServer } from './serverHarness.js'

/** A fixture file as a browser would upload it: its text, under a name that keeps its folders. */
async function upload(relative: string, keepFolders = 2) {
  const text = await readFile(join(SDF_FIXTURES, relative), 'utf8')
  return { name: relative.split('/').slice(-keepFolders - 1).join('/'), text }
}

describe('import and export through the web host', () => {
  it('imports uploaded files through core, counting what arrived and naming rejected files as uploaded', async () => {
    const { server, workspace } = await startTestServer()
    const client = connectClient(server)
    const files = [
      await upload('v0.2/discussions_input/personas/personas.json'),
      await upload('v0.2/discussions_output/moderation_game/25-02-01-12-00.json'),
      await upload('v0/discussions_input/topics/leading_space.txt'),
      { name: 'broken/bad.json', text: '{ "username": ' },
      { name: 'broken/bad.json', text: 'again' }
    ]
    const outcome = await client.api['import.files']({ files })
    expect(outcome.personas).toBeGreaterThan(0)
    expect(outcome.discussions).toBe(1)
    expect(outcome.topics).toBe(1)
    expect(outcome.errors.map((error) => error.file)).toEqual(['broken/bad.json', 'broken/bad.json'])
    expect(outcome.errors[1]?.message).toMatch(/more than once/)
    const summary = await client.api['workspace.summary']({})
    expect(summary.counts.discussions).toBe(1)
    expect((await workspace.discussions.ids()).length).toBe(1)
    client.close()
  })

  it('answers an SDF export as file contents the original tooling reads', async () => {
    const { server } = await startTestServer()
    const client = connectClient(server)
    await client.api['import.files']({ files: [await upload('v0.2/discussions_output/moderation_game/25-02-01-12-00.json')] })
    const { items } = await client.api['discussions.list']({})
    const id = items[0]?.id as string
    const exported = await client.api['export.sdf']({ discussionIds: [id] })
    expect(exported.discussions).toBe(1)
    expect(exported.files.map((file) => file.name)).toContain(`discussions/${id}.json`)
    const conversation = JSON.parse(exported.files.find((file) => file.name === `discussions/${id}.json`)?.text ?? '{}')
    expect(conversation).toHaveProperty('logs')
    client.close()
  })
})
