/** A label file that cannot be imported at all (not CSV, no key or label columns, unknown spec). */
export class HumanLabelImportError extends Error {
  override readonly name = 'HumanLabelImportError'
}
