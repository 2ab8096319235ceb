import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { writeJsonAtomically } from '../core/index.js'

export const WindowStateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(400).max(100_000),
  height: z.number().int().min(300).max(100_000),
  maximized: z.boolean()
})

export type WindowState = z.infer<typeof WindowStateSchema>

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

export const DEFAULT_WINDOW_SIZE = { width: 1200, height: 800 }

/** The saved state, or null when there is none or it is unreadable (a bad file never stops the app). */
export async function readWindowState(file: string): Promise<WindowState | null> {
  try {
    const parsed = WindowStateSchema.safeParse(JSON.parse(await readFile(file, 'utf8')))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

export async function writeWindowState(file: string, state: WindowState): Promise<void> {
  await writeJsonAtomically(file, WindowStateSchema.parse(state))
}

/**
 * Where to open the window: the saved bounds when enough of the title bar lands on a display that
 * is still attached, else the saved size (shrunk to fit) centred by the OS. Monitors come and go
 * between runs; a window restored off-screen cannot be reached.
 */
export function placeWindow(saved: WindowState | null, workAreas: readonly Rect[]): { bounds: Partial<Rect>; maximized: boolean } {
  if (saved === null) return { bounds: { ...DEFAULT_WINDOW_SIZE }, maximized: false }
  const titleBar: Rect = { x: saved.x, y: saved.y, width: saved.width, height: 32 }
  const visible = workAreas.some((area) => overlap(titleBar, area) >= Math.min(100, saved.width) * 32)
  if (visible) {
    return { bounds: { x: saved.x, y: saved.y, width: saved.width, height: saved.height }, maximized: saved.maximized }
  }
  const largest = [...workAreas].sort((a, b) => b.width * b.height - a.width * a.height)[0]
  return {
    bounds: {
      width: Math.min(saved.width, largest?.width ?? saved.width),
      height: Math.min(saved.height, largest?.height ?? saved.height)
    },
    maximized: saved.maximized
  }
}

function overlap(a: Rect, b: Rect): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return width > 0 && height > 0 ? width * height : 0
}
