import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runSdf } from '../../../helpers/runCli.js'
import { tempDir } from '../../../helpers/tempDir.js'

const TOKEN = 'cli-token-0123456789abcdef'

describe('sdf serve --model / --openai, before any model loads', () => {
  it('refuses --openai without --model', async () => {
    const run = await runSdf(['serve', '--workspace', join(await tempDir(), 'ws'), '--port', '0', '--token', TOKEN, '--openai'])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('--openai serves a model: add --model FILE')
  })

  it('says which model file is missing, and exits 1', async () => {
    const dir = await tempDir()
    const run = await runSdf(['serve', '--workspace', join(dir, 'ws'), '--port', '0', '--token', TOKEN, '--openai', '--model', join(dir, 'nope.gguf')])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`--model: model file not found: ${join(dir, 'nope.gguf')}`)
    expect(run.stdout).not.toContain('OpenAI-compatible API')
  })

  it('says a file is not a GGUF model, and exits 1', async () => {
    const dir = await tempDir()
    const path = join(dir, 'notes.gguf')
    await writeFile(path, 'these are my notes, not a model\n')
    const run = await runSdf(['serve', '--workspace', join(dir, 'ws'), '--port', '0', '--token', TOKEN, '--model', path, '--gpu', 'cpu', '--threads', '1'])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`--model: ${path} is not a GGUF model`)
  })

  it('checks the GPU choice', async () => {
    const run = await runSdf(['serve', '--model', 'x.gguf', '--gpu', 'tpu'])
    expect(run.code).not.toBe(0)
    expect(run.stderr).toContain('expected auto, cuda, vulkan or cpu')
  })
})
