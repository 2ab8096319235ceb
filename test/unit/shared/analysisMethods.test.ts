import { describe, expect, it } from 'vitest'
import { createDesktopImplementation } from '../../../src/main/desktopImplementation.js'
import {
  ApiError,
  createAnalysisMethods,
  groupingOf,
  type AnalysisMethodsPorts,
  type AnnotationEventPayload,
  type AnnotationJobPort
} from '../../../src/shared/index.js'

const progress = { total: 2, done: 0, failed: 0 }

/** Ports whose engines are not expected to be reached, except where a test fills them in. */
function fakePorts(overrides: Partial<AnalysisMethodsPorts> = {}): AnalysisMethodsPorts {
  const unreachable = () => {
    throw new Error('not expected in this test')
  }
  return {
    hasWorkspace: () => true,
    describeError: () => null,
    search: unreachable,
    labelByTurn: unreachable,
    compareGroups: unreachable,
    participation: unreachable,
    moderation: unreachable,
    commentLengths: unreachable,
    diversity: unreachable,
    trollEffect: unreachable,
    agreementMatrix: unreachable,
    hasBackend: () => true,
    createAnnotationJob: unreachable,
    putHuman: unreachable,
    humanQueue: unreachable,
    exportTables: unreachable,
    noBackendMessage: 'no model',
    annotationEvent: () => undefined,
    downloadUrl: () => null,
    ...overrides
  }
}

describe('the results methods, written once for both hosts', () => {
  it('answers no-workspace while none is open (the desktop before one is chosen)', async () => {
    const { implementation } = createDesktopImplementation({
      version: '0',
      platform: 'linux',
      workspace: null,
      chooseFolder: async () => null,
      changed: () => undefined
    })
    const calls = [
      implementation['discussions.search']({ offset: 0, limit: 10 }),
      implementation['analysis.participation']({ groupBy: 'none', test: 'anova' }),
      implementation['agreement.matrix']({ label: 'toxicity', metric: 'alpha', level: 'nominal', replicates: 10 }),
      implementation['annotations.humanQueue']({ annotatorSpecId: 'a', annotator: 'me', limit: 5 }),
      implementation['export.tables']({ format: 'csv' })
    ]
    for (const call of calls) await expect(call).rejects.toMatchObject({ code: 'no-workspace', message: expect.stringContaining('Open or create') })
  })

  it('names the field a grouping needs', () => {
    expect(groupingOf({ groupBy: 'condition', conditionKey: 'model' })).toEqual({ by: 'condition', key: 'model' })
    expect(groupingOf({ groupBy: 'persona', personaField: 'sex' })).toEqual({ by: 'persona', field: 'sex' })
    expect(() => groupingOf({ groupBy: 'condition' })).toThrow(/conditionKey/)
    expect(() => groupingOf({ groupBy: 'persona' })).toThrow(/personaField/)
  })

  it('turns engine errors it knows into typed errors, and leaves others alone', async () => {
    const methods = createAnalysisMethods(
      fakePorts({
        describeError: (error) => (error instanceof RangeError ? { code: 'invalid-input', message: 'K must be positive' } : null),
        trollEffect: async () => {
          throw new RangeError('k must be a positive integer')
        },
        agreementMatrix: async () => {
          throw new TypeError('a bug')
        }
      })
    )
    await expect(methods['analysis.trollEffect']({ label: 'x', k: 1 })).rejects.toMatchObject({ code: 'invalid-input', message: 'K must be positive' })
    await expect(methods['agreement.matrix']({ label: 'x', metric: 'alpha', level: 'nominal', replicates: 10 })).rejects.toBeInstanceOf(TypeError)
  })

  it('publishes a job\'s events under its id, and cancels it by id', async () => {
    const published: AnnotationEventPayload[] = []
    let cancelled = false
    let finish: () => void = () => undefined
    const job: AnnotationJobPort = {
      jobId: 'job-1',
      run: (report) =>
        new Promise<void>((resolve) => {
          report({ kind: 'job-started', discussionId: null, commentIndex: null, annotatorId: null, annotation: null, message: null, progress })
          finish = () => {
            report({ kind: 'job-finished', discussionId: null, commentIndex: null, annotatorId: null, annotation: null, message: 'cancelled', progress })
            resolve()
          }
        }),
      cancel: () => {
        cancelled = true
        finish()
      }
    }
    const changes: unknown[] = []
    const methods = createAnalysisMethods(
      fakePorts({ createAnnotationJob: async () => job, annotationEvent: (event) => published.push(event), changed: (event) => changes.push(event) })
    )
    expect(await methods['annotations.startJob']({ annotatorIds: ['a'], discussionIds: 'all', concurrency: 1 })).toEqual({ jobId: 'job-1' })
    expect(published.map((event) => [event.jobId, event.kind])).toEqual([['job-1', 'job-started']])
    expect(methods['annotations.cancelJob']({ jobId: 'job-1' })).toEqual({ ok: true })
    expect(cancelled).toBe(true)
    expect(published.at(-1)).toMatchObject({ jobId: 'job-1', kind: 'job-finished', message: 'cancelled' })
    // nothing was annotated, so nothing changed
    expect(changes).toEqual([])
    await new Promise((resolve) => setImmediate(resolve))
    expect(() => methods['annotations.cancelJob']({ jobId: 'job-1' })).toThrow(ApiError)
  })

  it('refuses to start a job without a model, with the host\'s reason', async () => {
    const methods = createAnalysisMethods(fakePorts({ hasBackend: () => false, noBackendMessage: 'Load a model first.' }))
    await expect(methods['annotations.startJob']({ annotatorIds: ['a'], discussionIds: 'all', concurrency: 1 })).rejects.toMatchObject({
      code: 'unavailable',
      message: 'Load a model first.'
    })
  })

  it('gives each exported file the host\'s download URL', async () => {
    const methods = createAnalysisMethods(
      fakePorts({
        exportTables: async () => ({ folder: 'exports/x-csv', files: [{ name: 'a b.csv', bytes: 3, rows: 1 }], problems: [] }),
        downloadUrl: (path) => `/download/${path}`
      })
    )
    expect(await methods['export.tables']({ format: 'csv' })).toEqual({
      folder: 'exports/x-csv',
      files: [{ name: 'a b.csv', bytes: 3, rows: 1, url: '/download/exports/x-csv/a b.csv' }],
      problems: []
    })
  })
})
