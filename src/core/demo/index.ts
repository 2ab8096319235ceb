// Demo in a minute: the demo model, a small design over the starter library, run, annotate, chart.
export { DEMO_MODEL_FILE_NAME, DEMO_MODEL_NOTICE, ensureDemoModel, isDemoModelFileName } from './demoModel.js'
export { DEMO_ANNOTATOR_ID, DEMO_CONDITION, DEMO_DESIGN_ID, DEMO_LABEL, demoDesign } from './demoDesign.js'
export {
  analyseDemo,
  annotateDemo,
  createDemoRun,
  demoAnnotator,
  DEMO_RESULTS_FOLDER,
  prepareDemo,
  runDemo,
  type DemoAnalysis,
  type DemoProgress,
  type DemoResult,
  type PreparedDemo,
  type RunDemoOptions
} from './runDemo.js'
