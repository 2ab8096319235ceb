// Electron main: one sandboxed window, the contract on IPC, everything else lives in core.
// Never declare __dirname/__filename here: electron-vite's ESM output declares them (use import.meta.dirname).
// Inference does not run here: a long model call on this thread would freeze IPC and the window, so
// the model, runs and annotation jobs live in a worker thread (inference/inferenceWorker.ts, built
// next to this file) and main forwards those methods to it.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, dialog, ipcMain, screen, session } from 'electron'
import { APP_VERSION, defaultLlamaThreads, Workspace } from '../core/index.js'
import {
  appContract,
  appEvents,
  Broadcaster,
  createEventHub,
  createHandlerTable,
  StreamHub,
  RunEventLog,
  type WorkspaceChanged
} from '../shared/index.js'
import { createDesktopImplementation, type FolderPurpose } from './desktopImplementation.js'
import { readLaunchEnvironment, type LaunchSettings } from './launchEnvironment.js'
import type { AnnotationEventPayload } from '../shared/analysisContract.js'
import type { ModelDownloadEvent } from '../shared/modelsContract.js'
import { InferenceWorkerHost } from './inference/inferenceWorkerHost.js'
import { registerIpcHost } from './ipcHost.js'
import { installQuitGuard, ShutdownHooks } from './quitGuard.js'
import { hardenSession, hardenWebContents } from './security.js'
import { placeWindow, readWindowState, writeWindowState, type WindowState } from './windowState.js'

const rendererFile = join(import.meta.dirname, '../renderer/index.html')
const preloadFile = join(import.meta.dirname, '../preload/index.cjs')
/** `electron-vite dev` serves the renderer over http and says where in this variable. */
const devServerUrl = process.env['ELECTRON_RENDERER_URL']
const rendererUrl = devServerUrl ?? pathToFileURL(rendererFile).href
const windowStateFile = () => join(app.getPath('userData'), 'window-state.json')
const inferenceWorkerFile = join(import.meta.dirname, 'inferenceWorker.js')
/** How long running discussions get at quit to journal their step in flight; under the quit guard's 10 s. */
const QUIT_GRACE_MS = 7_000

const DIALOG_TITLES: Record<FolderPurpose, string> = {
  'open-workspace': 'Open a workspace',
  'create-workspace': 'Choose a folder for the new workspace',
  models: 'Choose the folder that holds your GGUF models'
}

const shutdown = new ShutdownHooks()
const streams = new StreamHub()
const changes = new Broadcaster<WorkspaceChanged>()
const runEvents = new RunEventLog()
const annotationEvents = new Broadcaster<AnnotationEventPayload>()
const modelDownloads = new Broadcaster<ModelDownloadEvent>()
shutdown.add(() => streams.close())

async function chooseFolder(purpose: FolderPurpose): Promise<string | null> {
  const owner = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0]
  const options: Electron.OpenDialogOptions = { title: DIALOG_TITLES[purpose], properties: ['openDirectory', 'createDirectory'] }
  const result = owner === undefined ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(owner, options)
  return result.canceled ? null : (result.filePaths[0] ?? null)
}

async function createWindow(): Promise<BrowserWindow> {
  const saved = await readWindowState(windowStateFile())
  const placement = placeWindow(
    saved,
    screen.getAllDisplays().map((display) => display.workArea)
  )
  const window = new BrowserWindow({
    ...placement.bounds,
    title: 'SDF Studio',
    show: false,
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false
    }
  })
  if (placement.maximized) window.maximize()
  window.once('ready-to-show', () => window.show())
  window.on('close', () => {
    const bounds = window.getNormalBounds()
    const state: WindowState = { ...bounds, maximized: window.isMaximized() }
    // Best effort: a window state that cannot be saved is not worth a dialog.
    void writeWindowState(windowStateFile(), state).catch(() => undefined)
  })
  if (devServerUrl !== undefined) {
    void window.loadURL(devServerUrl)
  } else {
    void window.loadFile(rendererFile)
  }
  return window
}

/** SDF_WORKSPACE, SDF_MODELS_FOLDER, SDF_THREADS, SDF_SEQUENCES, SDF_GPU (launchEnvironment.ts); a bad one stops the app. */
function launchSettings(): LaunchSettings {
  try {
    return readLaunchEnvironment(process.env)
  } catch (error) {
    // Safe before `ready`; a wrong variable should say so, not start an app that ignores it.
    const message = error instanceof Error ? error.message : String(error)
    console.error(`SDF Studio cannot start: ${message}`)
    dialog.showErrorBox('SDF Studio cannot start', message)
    // Before anything is open there is nothing to shut down; an exception here would add Electron's own dialog.
    process.exit(1)
  }
}

const launch = launchSettings()

app.enableSandbox()
app.on('web-contents-created', (_event, contents) => hardenWebContents(contents))
installQuitGuard(app, () => shutdown.run((error) => console.error('shutdown hook failed:', error)))

void app.whenReady().then(async () => {
  hardenSession(session.defaultSession)
  const inference = new InferenceWorkerHost({
    workerUrl: pathToFileURL(inferenceWorkerFile),
    settings: {
      // By default one core stays free for the window and IPC.
      threads: launch.threads ?? defaultLlamaThreads(),
      ...(launch.sequences === null ? {} : { sequences: launch.sequences }),
      ...(launch.gpu === null ? {} : { gpu: launch.gpu })
    },
    streams,
    runEvent: (event) => runEvents.publish(event),
    runEventCursor: () => ({ epoch: runEvents.epoch, next: runEvents.next }),
    changed: (event) => changes.publish(event),
    annotationEvent: (event) => annotationEvents.publish(event),
    modelDownload: (event) => modelDownloads.publish(event),
    onError: (error) => console.error('the inference worker crashed:', error)
  })
  // Runs pause, their steps in flight are journaled, the model is freed; streams close after (added first).
  shutdown.add(async () => {
    await inference.shutdown(QUIT_GRACE_MS)
  })
  const { implementation } = createDesktopImplementation({
    version: APP_VERSION,
    platform: process.platform,
    workspace: launch.workspace === null ? null : await Workspace.open(launch.workspace).catch(() => null),
    modelsFolder: launch.modelsFolder,
    chooseFolder,
    changed: (event) => changes.publish(event),
    streams,
    runEvent: (event) => runEvents.publish(event),
    runEventCursor: () => ({ epoch: runEvents.epoch, next: runEvents.next }),
    annotationEvent: (event) => annotationEvents.publish(event),
    modelDownload: (event) => modelDownloads.publish(event),
    inference
  })
  registerIpcHost(ipcMain, {
    contract: appContract,
    table: createHandlerTable(appContract, implementation),
    events: createEventHub(appEvents, {
      'stream.tokens': (send, cursor) => streams.subscribe(send, cursor),
      'workspace.changed': (send) => changes.subscribe(send),
      'run.events': (send, cursor) => runEvents.subscribe(send, cursor),
      'annotation.events': (send) => annotationEvents.subscribe(send),
      'model.download': (send) => modelDownloads.subscribe(send)
    }),
    rendererUrl
  })
  await createWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) {
      void createWindow()
    }
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') {
    app.quit()
  }
})
