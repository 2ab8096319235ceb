/**
 * Raised when reliability data cannot be read as asked (a ragged matrix, a string where a metric
 * needs numbers, an unknown level). Undefined coefficients are not errors: they are NaN.
 */
export class AgreementError extends Error {
  override readonly name = 'AgreementError'
}
