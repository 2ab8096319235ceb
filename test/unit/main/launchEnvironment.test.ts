import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LaunchEnvironmentError, readLaunchEnvironment } from '../../../src/main/launchEnvironment.js'

describe('the desktop launch environment', () => {
  it('leaves everything to the app when nothing is set, or set empty', () => {
    const unset = { workspace: null, modelsFolder: null, threads: null, sequences: null, gpu: null }
    expect(readLaunchEnvironment({})).toEqual(unset)
    expect(readLaunchEnvironment({ SDF_THREADS: '', SDF_WORKSPACE: '' })).toEqual(unset)
  })

  it('reads the workspace, models folder, threads, sequences and GPU as sdf serve takes them', () => {
    expect(
      readLaunchEnvironment({ SDF_WORKSPACE: '/tmp/ws', SDF_MODELS_FOLDER: 'models', SDF_THREADS: '1', SDF_SEQUENCES: '2', SDF_GPU: 'cpu', HOME: '/home/x' })
    ).toEqual({ workspace: '/tmp/ws', modelsFolder: resolve('models'), threads: 1, sequences: 2, gpu: false })
    expect(readLaunchEnvironment({ SDF_GPU: 'auto' }).gpu).toBe('auto')
  })

  it('refuses a value that is set but wrong, naming the variable', () => {
    for (const [name, value] of [
      ['SDF_THREADS', '0'],
      ['SDF_THREADS', '2.5'],
      ['SDF_THREADS', 'four'],
      ['SDF_SEQUENCES', '-1'],
      ['SDF_SEQUENCES', '1000'],
      ['SDF_GPU', 'metal']
    ] as const) {
      expect(() => readLaunchEnvironment({ [name]: value }), `${name}=${value}`).toThrow(LaunchEnvironmentError)
      expect(() => readLaunchEnvironment({ [name]: value })).toThrow(name)
    }
  })
})
