export { HUMAN_LABEL_KEY_COLUMNS, parseHumanLabelCsv, type HumanLabelCsv, type HumanLabelRow, type RejectedLabelRow } from './humanLabelCsv.js'
export { HumanLabelImportError } from './humanLabelImportError.js'
export { typedLabelValue, untypedLabelValue, type HumanLabelValue } from './humanLabelValue.js'
export {
  humanAnnotationId,
  importHumanLabels,
  REJECTED_ROWS_LISTED,
  type HumanLabelImportReport,
  type ImportHumanLabelsOptions
} from './importHumanLabels.js'
