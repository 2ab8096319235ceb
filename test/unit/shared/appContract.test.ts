import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { appContract, appEvents, methodNames, recordMethodNames, UploadedFileSchema } from '../../../src/shared/index.js'

/** Every property name anywhere in a schema's JSON Schema. */
function propertyNames(schema: z.ZodType): string[] {
  const names: string[] = []
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk)
    if (typeof node !== 'object' || node === null) return
    const properties = (node as { properties?: Record<string, unknown> }).properties
    if (properties !== undefined) names.push(...Object.keys(properties))
    Object.values(node).forEach(walk)
  }
  walk(z.toJSONSchema(schema, { unrepresentable: 'any' }))
  return names
}

describe('the app contract', () => {
  it('offers list, get, put and delete for each kind of library record', () => {
    for (const kind of ['persona', 'topic', 'instruction', 'discussion'] as const) {
      for (const method of Object.values(recordMethodNames(kind))) expect(methodNames(appContract)).toContain(method)
    }
  })

  it('has no method that takes a filesystem path: hosts choose paths, clients never do', () => {
    for (const method of methodNames(appContract)) {
      const names = propertyNames(appContract[method].input)
      expect(names.filter((name) => /path|folder|dir/i.test(name)), method).toEqual([])
    }
  })

  it.each([
    ['personas.json', true],
    ['discussions_input/topics/a.txt', true],
    ['../secret', false],
    ['/etc/passwd', false],
    ['a/../../b', false],
    ['a//b', false],
    ['./a', false],
    ['a\\b', false],
    ['a\0b', false]
  ])('accepts the uploaded file name %j: %s', (name, accepted) => {
    expect(UploadedFileSchema.safeParse({ name, text: '' }).success).toBe(accepted)
  })

  it('declares a cursor for every event topic, replayable or not', () => {
    expect(Object.keys(appEvents).sort()).toEqual(['annotation.events', 'model.download', 'run.events', 'stream.tokens', 'workspace.changed'])
    expect(appEvents['model.download'].cursor.safeParse(undefined).success).toBe(true)
    expect(appEvents['run.events'].cursor.safeParse(undefined).success).toBe(true)
    expect(appEvents['stream.tokens'].cursor.safeParse({ s: 3 }).success).toBe(true)
    expect(appEvents['workspace.changed'].cursor.safeParse({}).success).toBe(false)
  })
})
