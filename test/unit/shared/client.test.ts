import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  ApiError,
  ApiErrorShapeSchema,
  appContract,
  createClient,
  createHandlerTable,
  createInProcessClient,
  createUnavailableClient,
  type ApiClient,
  type AppContract,
  type AppInfo
} from '../../../src/shared/index.js'
import { fakeImplementation } from './appFakes.js'

const info: AppInfo = { version: '0.1.0', platform: 'linux', host: 'electron', workspacePath: '/ws' }

const table = createHandlerTable(appContract, fakeImplementation({ 'app.info': () => info }))

describe('createClient', () => {
  it('has one function per contract method, typed from the schemas', async () => {
    const client = createInProcessClient(appContract, table)
    expect(Object.keys(client).sort()).toEqual(Object.keys(appContract).sort())
    expectTypeOf(client).toEqualTypeOf<ApiClient<AppContract>>()
    expectTypeOf(client['app.info']).parameter(0).toEqualTypeOf<Record<string, never>>()
    expectTypeOf(client['app.info']).returns.resolves.toEqualTypeOf<AppInfo>()
    await expect(client['app.info']({})).resolves.toEqual(info)
  })

  it('checks input before sending it, so a bad payload never reaches the transport', async () => {
    let sent = 0
    const client = createClient(appContract, async () => {
      sent += 1
      return { ok: true, value: info }
    })
    // @ts-expect-error: the id must be a string
    const error = await client['personas.get']({ id: 7 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(ApiErrorShapeSchema.parse((error as ApiError).toShape())).toMatchObject({ code: 'invalid-input' })
    expect(sent).toBe(0)
  })

  it('rethrows a typed error sent by the host with its code and details', async () => {
    const client = createClient(appContract, async () => ({
      ok: false,
      error: { code: 'forbidden', message: 'not our window', details: { frame: 'sub' } }
    }))
    await expect(client['app.info']({})).rejects.toMatchObject({
      name: 'ApiError',
      code: 'forbidden',
      message: 'not our window',
      details: { frame: 'sub' }
    })
  })

  it('rejects output that breaks the schema with invalid-output', async () => {
    const client = createClient(appContract, async () => ({ ok: true, value: { ...info, host: 'mainframe' } }))
    await expect(client['app.info']({})).rejects.toMatchObject({ code: 'invalid-output' })
  })

  it('reports a reply that is not an envelope, and a failing transport, as transport errors', async () => {
    const garbled = createClient(appContract, async () => 'hello')
    await expect(garbled['app.info']({})).rejects.toMatchObject({ code: 'transport' })
    const broken = createClient(appContract, async () => {
      throw new Error('channel closed')
    })
    await expect(broken['app.info']({})).rejects.toMatchObject({
      code: 'transport',
      message: 'app.info failed in transit: channel closed'
    })
  })

  it('lets the unavailable client explain itself on every call', async () => {
    const client = createUnavailableClient(appContract, 'no host here')
    await expect(client['app.info']({})).rejects.toMatchObject({ code: 'unavailable', message: 'no host here' })
    await expect(client['workspace.summary']({})).rejects.toMatchObject({ code: 'unavailable' })
  })
})
