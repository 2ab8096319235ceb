import type { Command } from 'commander'
import { registerAnnotate } from './annotate.js'
import { registerAgreement } from './agreement.js'
import { registerDemo } from './demo.js'
import { registerExport } from './export.js'
import { registerGenerateAnnotationConfigs } from './generateAnnotationConfigs.js'
import { registerGenerateAnnotations } from './generateAnnotations.js'
import { registerGenerateConvConfigs } from './generateConvConfigs.js'
import { registerGenerateConversations } from './generateConversations.js'
import { registerImport } from './import.js'
import { registerImportCorpus } from './importCorpus.js'
import { registerImportLabels } from './importLabels.js'
import { registerMakeTestModel } from './makeTestModel.js'
import { registerResume } from './resume.js'
import { registerRun } from './run.js'
import { registerServe } from './serve.js'

/** Every command registers itself here; one module per command, named after it. */
export function registerCommands(program: Command): void {
  registerImport(program)
  registerImportCorpus(program)
  registerImportLabels(program)
  registerExport(program)
  registerMakeTestModel(program)
  registerServe(program)
  registerDemo(program)
  registerAgreement(program)
  registerGenerateConvConfigs(program)
  registerGenerateAnnotationConfigs(program)
  registerGenerateConversations(program)
  registerGenerateAnnotations(program)
  registerAnnotate(program)
  registerRun(program)
  registerResume(program)
}
