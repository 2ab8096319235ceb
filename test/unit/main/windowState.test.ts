import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_WINDOW_SIZE, placeWindow, readWindowState, writeWindowState } from '../../../src/main/windowState.js'
import { tempDir } from '../../helpers/tempDir.js'

const screen = { x: 0, y: 0, width: 1920, height: 1080 }
const saved = { x: 100, y: 80, width: 1000, height: 700, maximized: false }

describe('the window state', () => {
  it('survives a round trip through the user data folder', async () => {
    const file = join(await tempDir(), 'window-state.json')
    await writeWindowState(file, saved)
    await expect(readWindowState(file)).resolves.toEqual(saved)
  })

  it('is ignored when missing, unreadable or implausible', async () => {
    const dir = await tempDir()
    await expect(readWindowState(join(dir, 'none.json'))).resolves.toBeNull()
    await writeFile(join(dir, 'torn.json'), '{"x": 1')
    await expect(readWindowState(join(dir, 'torn.json'))).resolves.toBeNull()
    await writeFile(join(dir, 'tiny.json'), JSON.stringify({ ...saved, width: 3 }))
    await expect(readWindowState(join(dir, 'tiny.json'))).resolves.toBeNull()
  })

  it('restores the saved bounds on a display that is still there', () => {
    expect(placeWindow(saved, [screen])).toEqual({ bounds: { x: 100, y: 80, width: 1000, height: 700 }, maximized: false })
    expect(placeWindow({ ...saved, maximized: true }, [screen]).maximized).toBe(true)
  })

  it('keeps only the size (fitted) when the display it was on is gone', () => {
    const onUnpluggedMonitor = { ...saved, x: 2500, width: 3000, height: 2000 }
    expect(placeWindow(onUnpluggedMonitor, [screen])).toEqual({ bounds: { width: 1920, height: 1080 }, maximized: false })
  })

  it('opens at the default size the first time', () => {
    expect(placeWindow(null, [screen])).toEqual({ bounds: DEFAULT_WINDOW_SIZE, maximized: false })
  })
})
