import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeTestModel } from '../../../src/core/index.js'
import { ModelFileError } from '../../../src/core/models/ModelFileError.js'
import { readModelFile } from '../../../src/core/models/readModelFile.js'
import { tempDir } from '../../helpers/tempDir.js'

describe('model files with a corrupt GGUF header', () => {
  it('refuses a version other than 2 or 3 at once, before node-llama-cpp trusts the lengths that follow', async () => {
    // The fuzz test's case: the version's second byte flipped, and the first key's length made 1.7 GB.
    const dir = await tempDir('sdf-gguf-version-')
    const good = join(dir, 'good.gguf')
    await makeTestModel({ out: good, shape: 'tiny', quant: 'q8_0', seed: 1 })
    const bytes = Buffer.from(await readFile(good))
    bytes[5] = 0xff
    bytes.writeUInt32LE(0x66000014, 24)
    const corrupt = join(dir, 'corrupt.gguf')
    await writeFile(corrupt, bytes)
    const error = await readModelFile(corrupt).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ModelFileError)
    expect((error as Error).message).toContain(`${corrupt} is truncated or corrupt (its GGUF version is 65283; llama.cpp reads versions 2 and 3)`)
  })
})
