import { copyFile, mkdir, readFile, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createLlamaCppBackend } from '../../../src/core/llm/index.js'
import { describeHardware, listModels, makeTestModel, readModelFile } from '../../../src/core/models/index.js'
import { tempDir } from '../../helpers/tempDir.js'
import { loadTestLlama, TEST_THREADS, tinyModelPath } from '../../helpers/testModel.js'

/** The broken files people actually end up with. */
async function brokenModels(dir: string) {
  const source = await readFile(await tinyModelPath())
  const truncated = join(dir, 'truncated.gguf')
  await writeFile(truncated, source.subarray(0, Math.floor(source.length * 0.6)))
  const headerOnly = join(dir, 'header-only.gguf')
  await writeFile(headerOnly, source.subarray(0, 100))
  const wrongMagic = join(dir, 'wrong-magic.gguf')
  const flipped = Buffer.from(source)
  flipped.write('GGUX', 0, 'latin1')
  await writeFile(wrongMagic, flipped)
  const textFile = join(dir, 'notes.gguf')
  await writeFile(textFile, 'This is where I will put the model once it downloads.\n')
  const empty = join(dir, 'empty.gguf')
  await writeFile(empty, '')
  return { truncated, headerOnly, wrongMagic, textFile, empty }
}

async function openBackend(modelPath: string) {
  return createLlamaCppBackend({ modelPath, llama: await loadTestLlama(), threads: TEST_THREADS, sequences: 1, contextSize: 256 })
}

describe('opening a model that is missing or corrupt', () => {
  it('a missing file gives model-not-found naming the file', async () => {
    const path = join(await tempDir(), 'nowhere.gguf')
    await expect(openBackend(path)).rejects.toMatchObject({
      name: 'BackendError',
      code: 'model-not-found',
      message: `model file not found: ${path}`
    })
  })

  it.each([
    ['truncated', /truncated\.gguf is truncated or corrupt \(tensor data starts at byte \d+, the file has \d+\)/],
    ['headerOnly', /header-only\.gguf is truncated or corrupt \(its header needs \d+ bytes, the file has 100\)/],
    ['wrongMagic', /wrong-magic\.gguf is not a GGUF model: it starts with "GGUX" instead of "GGUF"/],
    ['textFile', /notes\.gguf is not a GGUF model: it starts with "This" instead of "GGUF"/],
    ['empty', /empty\.gguf is not a GGUF model: it is empty/]
  ] as const)('a %s file gives model-invalid saying what is wrong with it', async (kind, message) => {
    const files = await brokenModels(await tempDir())
    await expect(openBackend(files[kind])).rejects.toMatchObject({ code: 'model-invalid', message: expect.stringMatching(message) })
  })

  it('a file cut inside its last tensor passes the header checks and is refused by llama.cpp as model-invalid', async () => {
    const path = join(await tempDir(), 'cut-short.gguf')
    await copyFile(await tinyModelPath(), path)
    await truncate(path, (await readModelFile(path)).sizeBytes - 16)
    await expect(openBackend(path)).rejects.toMatchObject({
      code: 'model-invalid',
      message: expect.stringContaining(`${path} could not be loaded by llama.cpp`)
    })
  })

  it('a folder is not a model', async () => {
    await expect(openBackend(await tempDir())).rejects.toMatchObject({ code: 'model-invalid', message: expect.stringMatching(/is not a file$/) })
  })
})

describe('listModels', () => {
  it('lists the GGUF files of a folder with metadata read from their headers', async () => {
    const dir = await tempDir()
    await makeTestModel({ out: join(dir, 'b-tiny-f16.gguf'), shape: 'tiny', quant: 'f16', seed: 2 })
    await copyFile(await tinyModelPath(), join(dir, 'a-tiny-q8.gguf'))
    await writeFile(join(dir, 'README.md'), 'not a model')
    await writeFile(join(dir, 'c-broken.gguf'), 'oops')
    await mkdir(join(dir, 'sub'))
    await copyFile(await tinyModelPath(), join(dir, 'sub', 'nested.gguf'))

    const models = await listModels(dir)
    expect(models.map((model) => model.fileName)).toEqual(['a-tiny-q8.gguf', 'b-tiny-f16.gguf', 'c-broken.gguf'])
    const [q8, f16, broken] = models
    expect(q8).toMatchObject({
      sizeBytes: (await readModelFile(await tinyModelPath())).sizeBytes,
      error: null,
      fit: null,
      metadata: {
        name: expect.stringContaining('tiny'),
        architecture: 'llama',
        quantization: 'Q8_0',
        trainedContextLength: 2048,
        layerCount: 2,
        hasChatTemplate: true
      }
    })
    expect(q8!.metadata!.parameterCount).toBeGreaterThan(400_000)
    expect(f16!.metadata).toMatchObject({ quantization: 'F16', parameterCount: q8!.metadata!.parameterCount })
    expect(broken).toMatchObject({ metadata: null, error: { code: 'invalid', message: expect.stringContaining('c-broken.gguf') } })
  })

  it('with a Llama, says how each model would fit this machine', async () => {
    const dir = await tempDir()
    await copyFile(await tinyModelPath(), join(dir, 'tiny.gguf'))
    const llama = await loadTestLlama()
    const [model] = await listModels(dir, { llama, targetContextSize: 1024 })
    expect(model!.fit).toMatchObject({ gpu: false, gpuLayers: 0, fullyOffloaded: false, compatibilityScore: expect.any(Number) })
    expect(model!.fit!.contextSize).toBeGreaterThanOrEqual(1024)
    expect(model!.fit!.ramBytes).toBeGreaterThan(0)
  })

  it('only the first part of a split model is listed', async () => {
    const dir = await tempDir()
    await copyFile(await tinyModelPath(), join(dir, 'big-00001-of-00002.gguf'))
    await copyFile(await tinyModelPath(), join(dir, 'big-00002-of-00002.gguf'))
    expect((await listModels(dir)).map((model) => model.fileName)).toEqual(['big-00001-of-00002.gguf'])
  })

  it('a truncated download is listed as broken, not as a model', async () => {
    const dir = await tempDir()
    const path = join(dir, 'partial.gguf')
    await copyFile(await tinyModelPath(), path)
    await truncate(path, 20_000)
    expect((await listModels(dir))[0]).toMatchObject({ metadata: null, error: { code: 'invalid', message: expect.stringContaining('truncated') } })
  })
})

describe('describeHardware', () => {
  it('reports the backend, memory and cores', async () => {
    const hardware = await describeHardware(await loadTestLlama())
    expect(hardware).toMatchObject({ gpu: false, gpuDevices: [], buildType: expect.any(String) })
    expect(hardware.ram.totalBytes).toBeGreaterThan(0)
    expect(hardware.cpuCores).toBeGreaterThan(0)
  })
})
