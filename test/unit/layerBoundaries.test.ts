import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
let eslint: ESLint

beforeAll(() => {
  eslint = new ESLint({ cwd: root, overrideConfigFile: fileURLToPath(new URL('../../eslint.config.js', import.meta.url)) })
})

/** The messages of the layer rule for `code` placed at `filePath` (relative to the repo root). */
async function boundaryMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath: `${root}/${filePath}` })
  if (result === undefined) {
    throw new Error('ESLint returned no result')
  }
  const fatal = result.messages.filter((message) => message.fatal)
  expect(fatal, `parse error in the snippet for ${filePath}`).toEqual([])
  return result.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((m) => m.message)
}

// [file, import] pairs that break the allow-matrix in eslint.config.js.
const forbidden: [string, string][] = [
  ['src/core/x.ts', "import { app } from 'electron'"],
  ['src/core/x.ts', "import { useState } from 'react'"],
  ['src/core/x.ts', "import { createRoot } from 'react-dom/client'"],
  ['src/core/x.ts', "import { create } from 'zustand'"],
  ['src/core/x.ts', "import { appContract } from '../shared/index.js'"],
  ['src/core/llm/x.ts', "import '../../main/index.js'"],
  ['src/core/x.ts', "import '../preload/index.js'"],
  ['src/core/x.ts', "import '../renderer/src/App.js'"],
  ['src/core/x.ts', "import '../cli/main.js'"],
  ['src/core/x.ts', "export * from '../server/index.js'"],
  ['src/shared/x.ts', "import { readFile } from 'node:fs/promises'"],
  ['src/shared/x.ts', "import path from 'path'"],
  ['src/shared/x.ts', "import { APP_VERSION } from '../core/index.js'"],
  ['src/shared/x.ts', "import { ipcRenderer } from 'electron'"],
  ['src/shared/x.ts', "import { useState } from 'react'"],
  ['src/shared/x.ts', "import YAML from 'yaml'"],
  ['src/renderer/src/x.tsx', "import '../core/index.js'"],
  ['src/renderer/src/x.tsx', "import { APP_VERSION } from '../../core/index.js'"],
  ['src/renderer/src/x.tsx', "import type { Persona } from '../../core/index.js'"],
  ['src/renderer/src/x.tsx', "import '../../main/index.js'"],
  ['src/renderer/src/x.tsx', "import '../../preload/index.js'"],
  ['src/renderer/src/x.tsx', "import { readFileSync } from 'node:fs'"],
  ['src/renderer/src/x.tsx', "import { ipcRenderer } from 'electron'"],
  ['src/renderer/src/x.tsx', "import { Command } from 'commander'"],
  ['src/main/x.ts', "import { App } from '../renderer/src/App.js'"],
  ['src/preload/x.ts', "import { APP_VERSION } from '../core/index.js'"],
  ['src/preload/x.ts', "import '../renderer/src/main.js'"],
  ['src/cli/x.ts', "import { app } from 'electron'"],
  ['src/cli/commands/x.ts', "import '../../renderer/src/App.js'"],
  ['src/server/x.ts', "import { app } from 'electron'"],
  ['src/server/x.ts', "import '../renderer/src/App.js'"],
  ['test/unit/x.test.ts', "import { app } from 'electron'"],
  ['bench/x.ts', "import { BrowserWindow } from 'electron'"]
]

// [file, import] pairs the matrix allows.
const allowed: [string, string][] = [
  ['src/core/x.ts', "import { readFile } from 'node:fs/promises'"],
  ['src/core/x.ts', "import { z } from 'zod'"],
  ['src/core/x.ts', "import { getLlama } from 'node-llama-cpp'"],
  ['src/core/workspace/x.ts', "import { IdSchema } from '../schema/index.js'"],
  ['src/core/x.ts', "import packageJson from '../../package.json' with { type: 'json' }"],
  ['src/shared/x.ts', "import { z } from 'zod'"],
  ['src/shared/x.ts', "import { ApiError } from './apiError.js'"],
  ['src/renderer/src/x.tsx', "import { useState } from 'react'"],
  ['src/renderer/src/x.tsx', "import { createRoot } from 'react-dom/client'"],
  ['src/renderer/src/x.tsx', "import { useStore } from 'zustand'"],
  ['src/renderer/src/x.tsx', "import { createStore } from 'zustand/vanilla'"],
  ['src/renderer/src/x.tsx', "import { z } from 'zod'"],
  ['src/renderer/src/x.tsx', "import { appContract } from '../../shared/index.js'"],
  ['src/renderer/src/x.tsx', "import type { SdfBridge } from '../../preload/sdfBridge.js'"],
  ['src/renderer/src/x.tsx', "import { App } from './App.js'"],
  ['src/renderer/src/pages/x.tsx', "import { App } from '../App.js'"],
  ['src/renderer/src/x.tsx', "import './app.css'"],
  ['src/main/x.ts', "import { app, BrowserWindow } from 'electron'"],
  ['src/main/x.ts', "import { APP_VERSION } from '../core/index.js'"],
  ['src/main/x.ts', "import { appContract } from '../shared/index.js'"],
  ['src/main/x.ts', "import { join } from 'node:path'"],
  ['src/preload/x.ts', "import { contextBridge, ipcRenderer } from 'electron'"],
  ['src/preload/x.ts', "import { IPC_INVOKE_CHANNEL } from '../shared/ipcChannel.js'"],
  ['src/cli/x.ts', "import { APP_VERSION } from '../core/index.js'"],
  ['src/cli/x.ts', "import { appContract } from '../shared/index.js'"],
  ['src/cli/commands/x.ts', "import { startServer } from '../../server/index.js'"],
  ['src/server/x.ts', "import { APP_VERSION } from '../core/index.js'"],
  ['src/server/x.ts', "import { createHandlerTable } from '../shared/index.js'"],
  ['test/unit/x.test.ts', "import { APP_VERSION } from '../../src/core/index.js'"]
]

describe('layer boundaries (eslint.config.js)', () => {
  it.each(forbidden)('reports in %s: %s', async (filePath, code) => {
    const messages = await boundaryMessages(filePath, code)
    expect(messages).toHaveLength(1)
  })

  it.each(allowed)('allows in %s: %s', async (filePath, code) => {
    await expect(boundaryMessages(filePath, code)).resolves.toEqual([])
  })

  it('explains the rule in the message', async () => {
    const [message] = await boundaryMessages('src/renderer/src/x.tsx', "import '../../core/index.js'")
    expect(message).toMatch(/src\/renderer talks to its host only through src\/shared/)
  })
})
