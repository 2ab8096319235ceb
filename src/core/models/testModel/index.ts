export {
  makeTestModel,
  planTestModel,
  TestModelOutputError,
  TEST_MODEL_GENERATOR_VERSION,
  DEFAULT_TEST_MODEL_SEED,
  type MakeTestModelOptions,
  type TestModelPlan,
  type TestModelResult,
  type TestModelSpec
} from './makeTestModel.js'
export {
  TEST_MODEL_QUANTS,
  TEST_MODEL_SHAPES,
  TEST_MODEL_SHAPE_NAMES,
  isTestModelQuant,
  isTestModelShapeName,
  type TestModelQuant,
  type TestModelShape,
  type TestModelShapeName
} from './testModelShapes.js'
export { CHATML_TEMPLATE, testModelName } from './llamaMetadata.js'
export { SPM_SPECIAL_TOKENS } from './spmVocabulary.js'
