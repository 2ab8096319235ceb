// Electron main: one sandboxed window, one IPC channel, everything else lives in core.
// Never declare __dirname/__filename here: electron-vite's ESM output declares them (use import.meta.dirname).
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, session } from 'electron'
import { APP_VERSION, Workspace } from '../core/index.js'
import { appContract, createHandlerTable, type WorkspaceSummary } from '../shared/index.js'
import { createAppImplementation } from './appImplementation.js'
import { registerInvokeHandler } from './invokeHandler.js'
import { hardenSession, hardenWebContents } from './security.js'

const rendererFile = join(import.meta.dirname, '../renderer/index.html')
const preloadFile = join(import.meta.dirname, '../preload/index.cjs')
/** `electron-vite dev` serves the renderer over http and says where in this variable. */
const devServerUrl = process.env['ELECTRON_RENDERER_URL']
const rendererUrl = devServerUrl ?? pathToFileURL(rendererFile).href

async function summarizeWorkspace(path: string): Promise<WorkspaceSummary> {
  const workspace = await Workspace.open(path)
  const summary = await workspace.summary()
  return {
    path: workspace.root,
    counts: {
      personas: summary.personas,
      topics: summary.topics,
      instructions: summary.instructions,
      discussions: summary.discussions,
      annotations: summary.annotations + summary.unlinked_annotations
    }
  }
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    title: 'SDF Studio',
    show: false,
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false
    }
  })
  window.once('ready-to-show', () => window.show())
  if (devServerUrl !== undefined) {
    void window.loadURL(devServerUrl)
  } else {
    void window.loadFile(rendererFile)
  }
  return window
}

app.enableSandbox()
app.on('web-contents-created', (_event, contents) => hardenWebContents(contents))

void app.whenReady().then(() => {
  hardenSession(session.defaultSession)
  const table = createHandlerTable(
    appContract,
    createAppImplementation({
      version: APP_VERSION,
      platform: process.platform,
      workspacePath: process.env['SDF_WORKSPACE'] ?? null,
      summarizeWorkspace
    })
  )
  registerInvokeHandler(appContract, table, rendererUrl)
  createWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) {
      createWindow()
    }
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') {
    app.quit()
  }
})
