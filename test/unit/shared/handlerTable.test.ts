import { describe, expect, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import {
  ApiError,
  appContract,
  createHandlerTable,
  defineContract,
  dispatch,
  methodNames,
  type AppContract,
  type HandlerTable,
  type Implementation
} from '../../../src/shared/index.js'

import { fakeImplementation, FAKE_SUMMARY as summary } from './appFakes.js'

function appImplementation(overrides: Partial<Implementation<AppContract>> = {}): Implementation<AppContract> {
  return fakeImplementation({
    'app.info': () => ({ version: '0.1.0', platform: 'linux', host: 'web', workspacePath: null }),
    'personas.get': async ({ id }) => ({ id, username: 'ada' }),
    ...overrides
  })
}

describe('createHandlerTable', () => {
  it('has exactly the methods of the contract', () => {
    const table = createHandlerTable(appContract, appImplementation())
    expect(Object.keys(table).sort()).toEqual(methodNames(appContract).sort())
  })

  it('ignores implementation functions the contract does not declare', () => {
    const extra = { ...appImplementation(), 'fs.delete': () => 'no' } as Implementation<AppContract>
    const table = createHandlerTable(appContract, extra)
    expect(Object.keys(table)).not.toContain('fs.delete')
  })

  it('refuses an implementation that misses a contract method', () => {
    const partial = { 'app.info': appImplementation()['app.info'] } as unknown as Implementation<AppContract>
    expect(() => createHandlerTable(appContract, partial)).toThrow(/workspace\.summary/)
    expect(() => createHandlerTable(appContract, partial)).toThrow(/personas\.put/)
  })

  it('is typed per method from the contract', () => {
    const table = createHandlerTable(appContract, appImplementation())
    expectTypeOf(table).toEqualTypeOf<HandlerTable<AppContract>>()
    expectTypeOf(table['workspace.summary']).returns.resolves.toHaveProperty('counts')
    // @ts-expect-error: an implementation must provide every method
    const missing: Implementation<AppContract> = { 'app.info': appImplementation()['app.info'] }
    void missing
  })

  it('returns the parsed output of a good call', async () => {
    const table = createHandlerTable(appContract, appImplementation())
    await expect(table['workspace.summary']({})).resolves.toEqual(summary)
    await expect(table['personas.get']({ id: 'ada' })).resolves.toEqual({ id: 'ada', username: 'ada' })
  })

  it('rejects bad input with a typed invalid-input error and never calls the implementation', async () => {
    let called = false
    const table = createHandlerTable(
      appContract,
      appImplementation({
        'personas.get': () => {
          called = true
          return { id: 'x' }
        }
      })
    )
    const error = await table['personas.get']({ id: 42 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).code).toBe('invalid-input')
    expect((error as ApiError).details).toEqual({
      issues: [expect.objectContaining({ path: ['id'], code: 'invalid_type' })]
    })
    expect(called).toBe(false)
  })

  it('rejects unknown keys in the input (inputs are strict objects)', async () => {
    const table = createHandlerTable(appContract, appImplementation())
    await expect(table['app.info']({ admin: true })).rejects.toMatchObject({ code: 'invalid-input' })
  })

  it('rejects an implementation result that breaks the output schema with invalid-output', async () => {
    const table = createHandlerTable(
      appContract,
      appImplementation({
        'workspace.summary': () => ({ ...summary, counts: { ...summary.counts, topics: -1 } })
      })
    )
    await expect(table['workspace.summary']({})).rejects.toMatchObject({
      name: 'ApiError',
      code: 'invalid-output'
    })
  })

  it('works for any contract built with defineContract', async () => {
    const contract = defineContract({
      'math.double': { input: z.object({ n: z.number() }), output: z.number() }
    })
    const table = createHandlerTable(contract, { 'math.double': ({ n }) => n * 2 })
    await expect(table['math.double']({ n: 21 })).resolves.toBe(42)
    expect(Object.isFrozen(contract)).toBe(true)
  })
})

describe('dispatch', () => {
  const table = createHandlerTable(appContract, appImplementation())

  it('wraps a good call in an ok envelope', async () => {
    await expect(dispatch(appContract, table, 'app.info', {})).resolves.toEqual({
      ok: true,
      value: { version: '0.1.0', platform: 'linux', host: 'web', workspacePath: null }
    })
  })

  it.each([['fs.readFile'], ['toString'], ['__proto__'], ['constructor'], [42], [undefined]])(
    'answers unknown-method for %s without throwing',
    async (method) => {
      const result = await dispatch(appContract, table, method, {})
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown-method' } })
    }
  )

  it('carries a bad payload back as a typed error, not an exception', async () => {
    const result = await dispatch(appContract, table, 'personas.get', { id: '' })
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input', message: 'invalid input for personas.get' } })
  })

  it('keeps the code of an ApiError thrown by the implementation', async () => {
    const failing = createHandlerTable(
      appContract,
      appImplementation({
        'workspace.summary': () => {
          throw new ApiError('not-implemented', 'later', { issue: 7 })
        }
      })
    )
    await expect(dispatch(appContract, failing, 'workspace.summary', {})).resolves.toEqual({
      ok: false,
      error: { code: 'not-implemented', message: 'later', details: { issue: 7 } }
    })
  })

  it('reports any other failure as internal, with its message and no stack', async () => {
    const failing = createHandlerTable(
      appContract,
      appImplementation({
        'workspace.summary': () => {
          throw new Error('disk on fire')
        }
      })
    )
    await expect(dispatch(appContract, failing, 'workspace.summary', {})).resolves.toEqual({
      ok: false,
      error: { code: 'internal', message: 'disk on fire' }
    })
  })
})
