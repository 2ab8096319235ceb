import { Workspace, type ExperimentDesignInput } from '../../../src/core/index.js'
import { tempDir } from '../../helpers/tempDir.js'
import { INSTRUCTIONS, PERSONAS, TOPICS } from './library.js'

export { INSTRUCTIONS, PERSONAS, testDesign, TOPICS } from './library.js'

/** A fresh workspace holding the library (and, when given, the design). */
export async function testWorkspace(design?: ExperimentDesignInput): Promise<Workspace> {
  const workspace = await Workspace.create(await tempDir('sdf-engine-'))
  for (const persona of PERSONAS) await workspace.personas.put(persona)
  for (const topic of TOPICS) await workspace.topics.put(topic)
  for (const instruction of INSTRUCTIONS) await workspace.instructions.put(instruction)
  if (design) await workspace.designs.put(design)
  return workspace
}
