import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readGgufFileInfo, type GgufFileInfo } from 'node-llama-cpp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CHATML_TEMPLATE,
  SPM_SPECIAL_TOKENS,
  TestModelOutputError,
  makeTestModel,
  planTestModel
} from '../../src/core/models/index.js'
import { GgmlType } from '../../src/core/models/testModel/ggmlType.js'
import { layoutGguf } from '../../src/core/models/testModel/ggufHeader.js'
import { gguf } from '../../src/core/models/testModel/ggufValue.js'
import {
  decodeF16,
  decodeQ4_0,
  decodeQ8_0,
  encodeQ4_0,
  encodeQ8_0,
  f16BitsToF32,
  f32ToF16Bits
} from '../../src/core/models/testModel/quantize.js'
import { buildSpmVocabulary, SpmTokenType } from '../../src/core/models/testModel/spmVocabulary.js'
import { tempDir } from '../helpers/tempDir.js'

// One tiny model shared by the read-only checks; tests that write use their own tempDir().
let sharedDir: string
let tinyPath: string
let tinyInfo: GgufFileInfo

beforeAll(async () => {
  sharedDir = await mkdtemp(join(tmpdir(), 'sdf-gguf-'))
  tinyPath = (await makeTestModel({ out: join(sharedDir, 'tiny.gguf'), shape: 'tiny' })).path
  tinyInfo = await readGgufFileInfo(tinyPath, { logWarnings: false })
})

afterAll(async () => {
  await rm(sharedDir, { recursive: true, force: true })
})

/** The raw bytes of one tensor's data in a generated file. */
async function tensorData(path: string, info: GgufFileInfo, name: string): Promise<Uint8Array> {
  const tensor = info.tensorInfo?.find((t) => t.name === name)
  if (!tensor) throw new Error(`no tensor ${name}`)
  const next = info.tensorInfo
    ?.map((t) => Number(t.fileOffset))
    .filter((offset) => offset > Number(tensor.fileOffset))
    .sort((a, b) => a - b)[0]
  const file = await readFile(path)
  return new Uint8Array(file.subarray(Number(tensor.fileOffset), next ?? file.byteLength))
}

function stats(values: Float32Array): { mean: number; std: number; maxAbs: number } {
  let sum = 0
  let sumSquares = 0
  let maxAbs = 0
  for (const v of values) {
    sum += v
    sumSquares += v * v
    maxAbs = Math.max(maxAbs, Math.abs(v))
  }
  const mean = sum / values.length
  return { mean, std: Math.sqrt(sumSquares / values.length - mean * mean), maxAbs }
}

describe('the GGUF header', () => {
  it('starts with the GGUF magic, version 3, and the tensor and key/value counts', async () => {
    const header = (await readFile(tinyPath)).subarray(0, 24)
    expect(header.subarray(0, 4).toString('latin1')).toBe('GGUF')
    expect(header.readUInt32LE(0)).toBe(0x46554747)
    expect(header.readUInt32LE(4)).toBe(3)
    // tiny: token_embd + 2 layers x 9 + output_norm + output
    expect(header.readBigUInt64LE(8)).toBe(21n)
    expect(Number(header.readBigUInt64LE(16))).toBe(Object.keys(flatten(tinyInfo.metadata)).length)
  })

  it('encodes strings as a u64 byte length followed by UTF-8, and arrays with element type and count', () => {
    const { header } = layoutGguf([['k', gguf.strings(['a', '▁'])]], [], 32)
    const view = Buffer.from(header)
    // after magic, version, tensor count, kv count: key "k"
    expect(view.readBigUInt64LE(24)).toBe(1n)
    expect(view.subarray(32, 33).toString()).toBe('k')
    expect(view.readUInt32LE(33)).toBe(9) // array
    expect(view.readUInt32LE(37)).toBe(8) // of strings
    expect(view.readBigUInt64LE(41)).toBe(2n)
    expect(view.readBigUInt64LE(49)).toBe(1n)
    expect(view.subarray(57, 58).toString()).toBe('a')
    expect(view.readBigUInt64LE(58)).toBe(3n) // "▁" is three UTF-8 bytes
    expect(view.subarray(66, 69).toString()).toBe('▁')
    expect(header.byteLength % 32).toBe(0)
  })
})

describe('metadata read back by node-llama-cpp', () => {
  it('describes a llama model with the tiny shape', () => {
    const metadata = tinyInfo.metadata as unknown as Record<string, Record<string, unknown>>
    expect(metadata.general).toMatchObject({
      architecture: 'llama',
      name: 'SDF Studio test model (tiny, random weights)',
      alignment: 32,
      file_type: 7
    })
    expect(metadata.llama).toMatchObject({
      context_length: 2048,
      embedding_length: 128,
      block_count: 2,
      feed_forward_length: 256,
      attention: { head_count: 4, head_count_kv: 2, layer_norm_rms_epsilon: Math.fround(1e-5) },
      rope: { dimension_count: 32, freq_base: 10_000 },
      vocab_size: 512
    })
  })

  it('carries a SentencePiece tokenizer with special tokens and a ChatML template', () => {
    const tokenizer = tinyInfo.metadata.tokenizer as unknown as { ggml: Record<string, unknown>; chat_template: string }
    expect(tokenizer.ggml).toMatchObject({
      model: 'llama',
      bos_token_id: 1,
      eos_token_id: 2,
      unknown_token_id: 0,
      eot_token_id: SPM_SPECIAL_TOKENS.imEnd.id,
      add_bos_token: true
    })
    const { tokens, scores, token_type: types } = tokenizer.ggml as Record<string, unknown[]>
    expect([tokens?.length, scores?.length, types?.length]).toEqual([512, 512, 512])
    expect(tokens?.slice(0, 5)).toEqual(['<unk>', '<s>', '</s>', '<|im_start|>', '<|im_end|>'])
    expect(types?.slice(0, 6)).toEqual([2, 3, 3, 3, 3, 6])
    expect(tokenizer.chat_template).toBe(CHATML_TEMPLATE)
  })

  it('lists the llama tensors with ggml shapes, F32 norms and Q8_0 matrices', () => {
    const tensors = new Map(tinyInfo.tensorInfo?.map((t) => [t.name, t]))
    expect(tensors.get('token_embd.weight')?.dimensions).toEqual([128, 512])
    expect(tensors.get('blk.1.attn_k.weight')?.dimensions).toEqual([128, 64])
    expect(tensors.get('blk.1.ffn_down.weight')?.dimensions).toEqual([256, 128])
    expect(tensors.get('output.weight')?.dimensions).toEqual([128, 512])
    expect(tensors.get('blk.0.attn_norm.weight')).toMatchObject({ dimensions: [128], ggmlType: GgmlType.F32 })
    expect(tensors.get('blk.0.attn_q.weight')?.ggmlType).toBe(GgmlType.Q8_0)
  })
})

describe('tensor data layout', () => {
  it('starts every tensor at a 32-byte aligned offset, back to back, and ends with the file', async () => {
    const offsets = (tinyInfo.tensorInfo ?? []).map((t) => Number(t.fileOffset))
    expect(offsets.length).toBe(21)
    for (const [i, t] of (tinyInfo.tensorInfo ?? []).entries()) {
      expect(Number(t.offset) % 32, t.name).toBe(0)
      expect(Number(t.fileOffset) % 32, t.name).toBe(0)
      if (i > 0) expect(offsets[i]).toBeGreaterThan(offsets[i - 1] ?? 0)
    }
    const { size } = await stat(tinyPath)
    const last = await tensorData(tinyPath, tinyInfo, 'output.weight')
    expect(last.byteLength).toBe((128 * 512 * 34) / 32)
    expect(size).toBe(planTestModel({ shape: 'tiny' }).bytes)
  })
})

describe('block encoding', () => {
  it('converts to IEEE half precision with round-to-nearest-even', () => {
    expect(f32ToF16Bits(1)).toBe(0x3c00)
    expect(f32ToF16Bits(-2)).toBe(0xc000)
    expect(f32ToF16Bits(65504)).toBe(0x7bff)
    expect(f32ToF16Bits(1e6)).toBe(0x7c00)
    expect(f32ToF16Bits(2 ** -24)).toBe(0x0001)
    expect(f32ToF16Bits(1 + 2 ** -11)).toBe(0x3c00) // halfway rounds to even
    expect(f32ToF16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02)
    for (const v of [0.02, -0.5, 3.14159, 6.1e-5]) {
      // 10 mantissa bits: within half a unit in the last place, relative 2^-11
      expect(Math.abs(f16BitsToF32(f32ToF16Bits(v)) - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11)
    }
  })

  it('writes a Q8_0 block as an f16 scale of max|x|/127 and 32 rounded int8 quants', () => {
    const values = Float32Array.from({ length: 32 }, (_, i) => (i - 16) / 100)
    const block = encodeQ8_0(values)
    expect(block.byteLength).toBe(34)
    const d = f16BitsToF32(block[0]! | (block[1]! << 8))
    expect(d).toBeCloseTo(0.16 / 127, 6)
    expect(new Int8Array(block.buffer, 2, 32)[0]).toBe(-127)
    const decoded = decodeQ8_0(block)
    for (let i = 0; i < 32; i++) expect(Math.abs(decoded[i]! - values[i]!)).toBeLessThanOrEqual(d / 2 + 1e-6)
  })

  it('writes a Q4_0 block as an f16 scale and 16 bytes holding elements 0..15 low and 16..31 high', () => {
    const values = new Float32Array(32)
    values[0] = -8 // the largest magnitude sets d = -8 / -8 = 1
    values[16] = 7
    values[1] = 3
    const block = encodeQ4_0(values)
    expect(block.byteLength).toBe(18)
    expect(f16BitsToF32(block[0]! | (block[1]! << 8))).toBe(1)
    expect(block[2]).toBe(0x0 | (0xf << 4)) // element 0 -> nibble 0, element 16 -> nibble 15
    expect(block[3]).toBe(11 | (8 << 4)) // element 1 = 3 -> nibble 11, element 17 = 0 -> nibble 8
    expect(Array.from(decodeQ4_0(block))).toEqual(Array.from(values))
  })
})

describe('random weights', () => {
  it('stay within about ±0.03 with a spread near 0.02 and a mean near 0, for every weight type', async () => {
    const dir = await tempDir()
    for (const [quant, decode] of [
      ['q8_0', decodeQ8_0],
      ['q4_0', decodeQ4_0],
      ['f16', decodeF16]
    ] as const) {
      const path = (await makeTestModel({ out: join(dir, `${quant}.gguf`), shape: 'tiny', quant })).path
      const info = await readGgufFileInfo(path, { logWarnings: false })
      const weights = stats(decode(await tensorData(path, info, 'blk.0.ffn_up.weight')))
      expect(weights.maxAbs, quant).toBeLessThan(0.035)
      expect(weights.std, quant).toBeGreaterThan(0.012)
      expect(weights.std, quant).toBeLessThan(0.025)
      expect(Math.abs(weights.mean), quant).toBeLessThan(0.002)
    }
  })

  it('set every RMS-norm weight to exactly 1', async () => {
    const data = await tensorData(tinyPath, tinyInfo, 'output_norm.weight')
    expect(Array.from(new Float32Array(data.buffer, data.byteOffset, 128))).toEqual(new Array(128).fill(1))
  })

  it('are identical for the same seed and differ for another seed', async () => {
    const dir = await tempDir()
    const a = await makeTestModel({ out: join(dir, 'a.gguf'), shape: 'tiny', seed: 42 })
    const b = await makeTestModel({ out: join(dir, 'b.gguf'), shape: 'tiny', seed: 42 })
    const c = await makeTestModel({ out: join(dir, 'c.gguf'), shape: 'tiny', seed: 43 })
    const [bytesA, bytesB, bytesC] = await Promise.all([a, b, c].map((r) => readFile(r.path)))
    expect(bytesA!.equals(bytesB!)).toBe(true)
    expect(bytesA!.equals(bytesC!)).toBe(false)
  })
})

describe('sizes', () => {
  it('keeps the tiny model in the few-hundred-KB range', async () => {
    const { size } = await stat(tinyPath)
    expect(size).toBeGreaterThan(200_000)
    expect(size).toBeLessThan(1_000_000)
  })

  it('matches the parameter counts of the real Llama 3 models it imitates', () => {
    expect(planTestModel({ shape: 'llama-1b' }).parameters).toBe(1_235_814_400)
    expect(planTestModel({ shape: 'llama-3b' }).parameters).toBe(3_212_749_824)
    expect(planTestModel({ shape: 'llama-8b' }).parameters).toBe(8_030_261_248)
  })

  it('plans an 8B Q4_0 file of about 4.5 GB and a 1B Q8_0 file of about 1.3 GB', () => {
    const eightB = planTestModel({ shape: 'llama-8b' })
    expect(eightB.quant).toBe('q4_0')
    expect(eightB.bytes / 1e9).toBeGreaterThan(4.4)
    expect(eightB.bytes / 1e9).toBeLessThan(4.7)
    expect(planTestModel({ shape: 'llama-1b' }).bytes / 1e9).toBeCloseTo(1.31, 1)
  })
})

describe('vocabulary', () => {
  it('has exactly the requested number of unique tokens, with byte tokens 0x00..0xFF after the specials', () => {
    for (const size of [512, 128_256]) {
      const { tokens, tokenTypes } = buildSpmVocabulary(size)
      expect(tokens).toHaveLength(size)
      expect(new Set(tokens).size).toBe(size)
      expect(tokens[5]).toBe('<0x00>')
      expect(tokens[260]).toBe('<0xFF>')
      expect(tokenTypes[5]).toBe(SpmTokenType.BYTE)
      expect(tokenTypes[4]).toBe(SpmTokenType.CONTROL)
      expect(tokens[261]).toBe('\u2581')
    }
  })
})

describe('writing the file', () => {
  it('removes the temp file and leaves nothing behind when the write fails part-way', async () => {
    const dir = await tempDir()
    const out = join(dir, 'broken.gguf')
    await expect(
      makeTestModel({
        out,
        shape: 'tiny',
        onProgress: (written) => {
          if (written > 50_000) throw new Error('disk full (simulated)')
        }
      })
    ).rejects.toThrow('disk full (simulated)')
    expect(await readdir(dir)).toEqual([])
  })

  it('stops and cleans up when aborted', async () => {
    const dir = await tempDir()
    const controller = new AbortController()
    await expect(
      makeTestModel({ out: join(dir, 'm.gguf'), shape: 'tiny', signal: controller.signal, onProgress: () => controller.abort() })
    ).rejects.toThrow()
    expect(await readdir(dir)).toEqual([])
  })

  it('creates missing parent folders', async () => {
    const dir = await tempDir()
    const result = await makeTestModel({ out: join(dir, 'a', 'b', 'm.gguf'), shape: 'tiny' })
    expect((await stat(result.path)).size).toBe(result.bytes)
  })

  it('replaces an existing GGUF file but refuses to overwrite anything else', async () => {
    const dir = await tempDir()
    const model = join(dir, 'm.gguf')
    await makeTestModel({ out: model, shape: 'tiny', seed: 1 })
    await expect(makeTestModel({ out: model, shape: 'tiny', seed: 2 })).resolves.toMatchObject({ seed: 2 })

    const notes = join(dir, 'notes.txt')
    await writeFile(notes, 'precious')
    await expect(makeTestModel({ out: notes, shape: 'tiny' })).rejects.toBeInstanceOf(TestModelOutputError)
    expect(await readFile(notes, 'utf8')).toBe('precious')
    await expect(makeTestModel({ out: dir, shape: 'tiny' })).rejects.toBeInstanceOf(TestModelOutputError)
  })

  it('rejects an unknown shape, quant or seed before writing anything', () => {
    expect(() => planTestModel({ shape: 'huge' as never })).toThrow(/tiny, llama-1b, llama-3b, llama-8b/)
    expect(() => planTestModel({ shape: 'tiny', quant: 'q5_k' as never })).toThrow(/q4_0, q8_0, f16/)
    expect(() => planTestModel({ shape: 'tiny', seed: -1 })).toThrow(/seed/)
  })
})

/** Flattens node-llama-cpp's nested metadata back into dotted GGUF keys. */
function flatten(value: object, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) {
    if (child !== null && typeof child === 'object' && !Array.isArray(child)) Object.assign(out, flatten(child, `${prefix}${key}.`))
    else out[prefix + key] = child
  }
  return out
}
