import { access } from 'node:fs/promises'
import { join } from 'node:path'
import { makeTestModel } from '../models/testModel/makeTestModel.js'

/**
 * The demo model's file name says what it is, wherever it is listed: random weights, so its text
 * is meaningless. It lets a new user try the whole flow (run, stream, annotate, chart) without
 * downloading a model.
 */
export const DEMO_MODEL_FILE_NAME = 'demo-random-weights-MEANINGLESS-TEXT.gguf'

/** Said wherever the demo model's output is shown. */
export const DEMO_MODEL_NOTICE =
  'The demo model has random weights: it produces meaningless text. It shows how the tool works, not what a real model would say.'

export function isDemoModelFileName(fileName: string): boolean {
  return fileName === DEMO_MODEL_FILE_NAME
}

/** Writes the tiny demo model into `folder` unless it is there; answers its path and whether it was written. */
export async function ensureDemoModel(folder: string): Promise<{ path: string; fileName: string; created: boolean }> {
  const path = join(folder, DEMO_MODEL_FILE_NAME)
  const exists = await access(path).then(
    () => true,
    () => false
  )
  // The same seed always writes the same bytes, so every demo model is the same model.
  if (!exists) await makeTestModel({ out: path, shape: 'tiny', quant: 'q8_0', seed: 1 })
  return { path, fileName: DEMO_MODEL_FILE_NAME, created: !exists }
}
