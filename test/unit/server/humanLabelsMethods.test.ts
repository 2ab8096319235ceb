import { describe, expect, it } from 'vitest'
import { createHumanLabelsPorts } from '../../../src/core/host/humanLabelsPorts.js'
import { ApiError, createHumanLabelsMethods, HumanCsvImportInputSchema, HumanCsvImportReportSchema } from '../../../src/shared/index.js'
import { emptyWorkspace } from '../../helpers/emptyWorkspace.js'
import { tempDir } from '../../helpers/tempDir.js'
import { connectClient, startTestServer } from './serverHarness.js'

describe('createHumanLabelsMethods over the ports of core', () => {
  it('answers a report that matches the contract and tells the host the workspace changed', async () => {
    const workspace = await emptyWorkspace(await tempDir())
    await workspace.discussions.put({
      id: 'd1',
      participants: [],
      comments: [{ index: 0, author: 'a', role: 'user', raw_text: 'c', text: 'c' }]
    })
    let changes = 0
    const methods = createHumanLabelsMethods(createHumanLabelsPorts({ workspace: () => workspace, changed: () => (changes += 1) }))
    const input = HumanCsvImportInputSchema.parse({ fileName: 'c.csv', content: 'discussion_id,comment_index,annotator,x\nd1,0,ana,1\n' })
    const report = HumanCsvImportReportSchema.parse(await methods['annotations.importHumanCsv'](input))
    expect(report).toMatchObject({ imported: 1, rejected: [], labels: ['x'] })
    expect(changes).toBe(1)
  })

  it('answers no-workspace when none is open', async () => {
    const methods = createHumanLabelsMethods(createHumanLabelsPorts({ workspace: () => null }))
    await expect(methods['annotations.importHumanCsv']({ fileName: 'c.csv', content: '' })).rejects.toMatchObject({ code: 'no-workspace' })
  })
})

describe('annotations.importHumanCsv through the web host', () => {
  it('imports uploaded CSV text as human annotations and answers the rejected rows by line', async () => {
    const { server, workspace } = await startTestServer()
    await workspace.discussions.put({
      id: 'd1',
      participants: [],
      comments: [0, 1].map((index) => ({ index, author: 'a', role: 'user', raw_text: `c${index}`, text: `c${index}` }))
    })
    const client = connectClient(server)
    const report = await client.api['annotations.importHumanCsv']({
      fileName: 'coders.csv',
      content: 'comment_id,annotator,toxicity\nd1:0,ana,3\nd1:5,ana,2\nd1:1,ana,J\uFFFDrg\n'
    })
    expect(report).toMatchObject({ file: 'coders.csv', rowsRead: 3, imported: 1, rejectedCount: 2, annotators: ['ana'], annotatorSpecId: null })
    expect(report.rejected).toEqual([
      { row: 3, reason: expect.stringMatching(/out of range/) },
      { row: 4, reason: expect.stringMatching(/U\+FFFD/) }
    ])
    const listed = await workspace.annotations.list('d1')
    expect(listed.annotations[0]?.annotator.kind).toBe('human')
    client.close()
  })

  it('answers invalid-input, naming the problem, for a file that cannot be imported at all', async () => {
    const { server } = await startTestServer()
    const client = connectClient(server)
    const error = await client.api['annotations.importHumanCsv']({ fileName: 'x.csv', content: 'a,b\n1,2\n' }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/x\.csv lacks the columns "annotator"/) })
    client.close()
  })
})
