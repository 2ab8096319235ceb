// The app a spec drives, on either host: the web host (`sdf serve` in Debian's Chromium) or the
// desktop app (Electron through Playwright's `_electron`). Specs start it in `beforeAll` with a
// fresh workspace and talk to it through one page, `open(route)` and `call(method, input)`, so the
// same spec runs on both; the Playwright project picks the host (the worker-scoped `host` option).
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, test as base, expect, type Browser, type ElectronApplication, type Page } from '@playwright/test'
import type { SdfBridge } from '../src/preload/sdfBridge.js'
import { ARTIFACTS, REPO_ROOT, startServe } from './serveProcess.js'

/** What these helpers read of the page's global scope (this tsconfig has no DOM types). */
type PageGlobals = { location: { hash: string }; sdf?: SdfBridge }

export type Host = 'web' | 'desktop'

export interface AppOptions {
  /** Fills the fresh workspace (`<tmp>/workspace`, not yet created) before the app starts. */
  prepare?: (workspace: string) => Promise<void>
  /**
   * A model in `<workspace>/models` to load through `models.load` once the app is up, with one
   * llama.cpp thread and 2 sequences: more threads than free cores fight on a loaded 2-core machine.
   */
  model?: { fileName: string; contextSize: number }
  /** llama.cpp's compute backend for models loaded in the app; the host's default (auto) otherwise. */
  gpu?: 'cpu'
}

export interface AppUnderTest {
  readonly host: Host
  /** The app's one page (the desktop's window); shared by the tests of a `describe`. */
  readonly page: Page
  /** The workspace folder the app has open. */
  readonly workspace: string
  /** Where a screenshot named `fileName` goes: e2e/artifacts/ for the web, e2e/artifacts/desktop/ for the desktop. */
  artifact(fileName: string): string
  /** Shows a route of src/renderer/src/routes.tsx, e.g. `/runs`, as the address bar's hash would. */
  open(route: string): Promise<void>
  /** One contract call (e.g. to set up records or check what a form stored); rejects with the typed error. */
  call(method: string, input?: unknown): Promise<unknown>
  dispose(): Promise<void>
}

/** The thread count and sequences the specs load models with (see `AppOptions.model`). */
const TEST_THREADS = 1
const TEST_SEQUENCES = 2

/**
 * The Electron executable, found the way electron 39's index.js finds it (node_modules/electron/
 * path.txt names it inside dist/), but without requiring the package: that would try to download
 * the binary where it is missing. ELECTRON_PATH overrides it.
 */
export function electronBinary(): string | null {
  const override = process.env['ELECTRON_PATH']
  if (override !== undefined && override !== '') return existsSync(override) ? override : null
  const packageDir = join(REPO_ROOT, 'node_modules', 'electron')
  const pathFile = join(packageDir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : null
}

/** Why the desktop project has nothing to run, or null when it can run. */
export const NO_ELECTRON_REASON =
  electronBinary() !== null
    ? null
    : process.env['ELECTRON_PATH']
      ? `no Electron binary at ELECTRON_PATH (${process.env['ELECTRON_PATH']})`
      : 'no Electron binary here: node_modules/electron/path.txt or its dist/ binary is missing (installed with ELECTRON_SKIP_BINARY_DOWNLOAD, or offline), and ELECTRON_PATH is unset'

/**
 * Playwright's `test` with the host to drive (`host`, set per project in playwright.config.ts) and
 * `launchApp`, which starts the app on it for a `beforeAll`. Neither asks for Playwright's `browser`:
 * that would start Chromium in the desktop project too; the web host starts its own.
 */
export const test = base.extend<object, { host: Host; launchApp: (options?: AppOptions) => Promise<AppUnderTest> }>({
  host: ['web', { option: true, scope: 'worker' }],
  launchApp: [
    async ({ host, playwright, launchOptions, headless }, use) => {
      await use((options = {}) => startApp(host, options, () => playwright.chromium.launch({ ...launchOptions, headless })))
    },
    { scope: 'worker' }
  ]
})

export { expect }

type LaunchChromium = () => Promise<Browser>

/** Starts the app on `host` with a fresh workspace, or skips the calling group where the host cannot run here. */
async function startApp(host: Host, options: AppOptions, launchChromium: LaunchChromium): Promise<AppUnderTest> {
  // Called from a beforeAll, this skips every test of its group (and their hooks still clean up).
  test.skip(host === 'desktop' && NO_ELECTRON_REASON !== null, NO_ELECTRON_REASON ?? '')
  await mkdir(artifactsOf(host), { recursive: true })
  const app = host === 'web' ? await startWeb(options, launchChromium) : await startDesktop(options)
  try {
    await expect(app.page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open', { timeout: 30_000 })
    if (options.model !== undefined) {
      await app.call('models.load', { fileName: options.model.fileName, contextSize: options.model.contextSize })
    }
  } catch (error) {
    await app.dispose()
    throw error
  }
  return app
}

async function startWeb(options: AppOptions, launchChromium: LaunchChromium): Promise<AppUnderTest> {
  const llamaArgs = [
    ...(options.model === undefined ? [] : ['--threads', String(TEST_THREADS), '--sequences', String(TEST_SEQUENCES)]),
    ...(options.gpu === undefined ? [] : ['--gpu', options.gpu])
  ]
  const server = await startServe({
    ...(options.prepare === undefined ? {} : { prepare: options.prepare }),
    args: () => llamaArgs
  })
  const browser = await launchChromium().catch(async (error: unknown) => {
    await server.dispose()
    throw error
  })
  const dispose = async () => {
    await browser.close().catch(() => undefined)
    await server.dispose()
  }
  const page = await browser.newPage()
  // The token URL sets the session cookie; from then on the page is at the origin, and routes are hashes.
  await page.goto(server.openUrl).catch(async (error: unknown) => {
    await dispose()
    throw error
  })
  return {
    host: 'web',
    page,
    workspace: server.workspace,
    artifact: (fileName) => join(artifactsOf('web'), fileName),
    open: (route) => openRoute(page, route),
    call: (method, input) => server.call(method, input),
    dispose
  }
}

async function startDesktop(options: AppOptions): Promise<AppUnderTest> {
  const executablePath = electronBinary()
  if (executablePath === null) throw new Error(NO_ELECTRON_REASON ?? 'no Electron binary')
  const base = await mkdtemp(join(tmpdir(), 'sdf-e2e-desktop-'))
  const workspace = join(base, 'workspace')
  await options.prepare?.(workspace)
  // The desktop opens only existing workspaces at start (SDF_WORKSPACE); `sdf serve` creates a missing one.
  await openOrCreateWorkspace(workspace)
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    SDF_WORKSPACE: workspace,
    SDF_MODELS_FOLDER: join(workspace, 'models'),
    // Its own user data (window state) per run, not the user's: Electron keeps it under XDG_CONFIG_HOME on Linux.
    XDG_CONFIG_HOME: join(base, 'config'),
    ...(options.model === undefined ? {} : { SDF_THREADS: String(TEST_THREADS), SDF_SEQUENCES: String(TEST_SEQUENCES) }),
    ...(options.gpu === undefined ? {} : { SDF_GPU: options.gpu })
  }
  let application: ElectronApplication | null = null
  try {
    // Chromium refuses to start as root with its sandbox on (CI containers often run as root), as the
    // web project's Chromium does (CHROMIUM_ARGS); the page still has no Node (electron.spec.ts checks).
    const sandbox = process.getuid?.() === 0 ? ['--no-sandbox'] : []
    application = await electron.launch({ executablePath, args: [...sandbox, REPO_ROOT], env, cwd: REPO_ROOT })
    const page = await application.firstWindow()
    const launched = application
    return {
      host: 'desktop',
      page,
      workspace,
      artifact: (fileName) => join(artifactsOf('desktop'), fileName),
      open: (route) => openRoute(page, route),
      call: (method, input) => callThroughBridge(page, method, input),
      async dispose() {
        await launched.close().catch(() => undefined)
        await rm(base, { recursive: true, force: true })
      }
    }
  } catch (error) {
    await application?.close().catch(() => undefined)
    await rm(base, { recursive: true, force: true })
    throw error
  }
}

/** The web host's screenshots stay where they always were; the desktop's go beside them, not over them. */
function artifactsOf(host: Host): string {
  return host === 'web' ? ARTIFACTS : join(ARTIFACTS, 'desktop')
}

/**
 * A hash change, the same on both hosts: the desktop's window is file://…/index.html and refuses
 * every navigation (main/security.ts), and on the web it keeps the page (and its socket) as a
 * click on a link would.
 */
async function openRoute(page: Page, route: string): Promise<void> {
  await page.evaluate((hash) => {
    ;(globalThis as unknown as PageGlobals).location.hash = hash
  }, route)
  await expect(page).toHaveURL(new RegExp(`#${escapeRegExp(route)}$`))
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** A contract call through the preload's bridge (`window.sdf.invoke`), unwrapping its result envelope. */
async function callThroughBridge(page: Page, method: string, input: unknown = {}): Promise<unknown> {
  const result = (await page.evaluate(
    ([name, payload]) => {
      const bridge = (globalThis as unknown as PageGlobals).sdf
      if (bridge === undefined) throw new Error('window.sdf is missing: is this the desktop window?')
      return bridge.invoke(name, payload)
    },
    [method, input] as const
  )) as { ok: boolean; value?: unknown; error?: unknown }
  if (result.ok) return result.value
  throw new Error(`${method} failed: ${JSON.stringify(result.error)}`)
}

/** As `sdf serve --workspace` does: a folder that holds none gets a new workspace with the starter library. */
async function openOrCreateWorkspace(workspace: string): Promise<void> {
  const { Workspace } = await import('../src/core/workspace/index.js')
  await Workspace.open(workspace, { create: true })
}
