import { describe, expect, it } from 'vitest'
import {
  AgreementError,
  krippendorffAlpha,
  parseReliabilityCsv,
  reliabilityDataFromCsv
} from '../../../../src/core/index.js'

describe('reading reliability data from CSV', () => {
  it('takes annotators from the header and units from the rows, empty cells as missing', () => {
    const csv = parseReliabilityCsv('A,B\n1,2\n,3\n')
    expect(csv).toEqual({ units: ['1', '2'], annotators: ['A', 'B'], cells: [['1', '2'], [null, '3']], hasUnitColumn: false })
  })

  it('reads a first column named unit or id (any case) as unit ids', () => {
    expect(parseReliabilityCsv('Unit,A,B\nc1,1,2\n').units).toEqual(['c1'])
    expect(parseReliabilityCsv('ID,A,B\nc1,1,2\n').annotators).toEqual(['A', 'B'])
    expect(parseReliabilityCsv('unit_name,A\nc1,1\n').annotators).toEqual(['unit_name', 'A'])
  })

  it('parses quoted fields holding commas, quotes and line breaks', () => {
    // Windows line ends throughout, as spreadsheets save them; the break inside quotes is kept.
    const csv = parseReliabilityCsv('id,"x, y","say ""hi"""\r\n"line one\r\nline two",a,"b, c"\r\n')
    expect(csv.annotators).toEqual(['x, y', 'say "hi"'])
    expect(csv.units).toEqual(['line one\r\nline two'])
    expect(csv.cells).toEqual([['a', 'b, c']])
  })

  it('treats extra missing-value tokens as empty cells and skips blank lines', () => {
    const csv = parseReliabilityCsv('A,B\n1,NA\n\n*,2\n', { missing: ['NA', '*'] })
    expect(csv.cells).toEqual([['1', null], [null, '2']])
  })

  it.each([
    ['', /empty/],
    ['id\nu1\n', /no annotator columns/],
    ['A,B\n1,2\n3\n', /row 3 has 1 fields but the header has 2/],
    ['A,,C\n1,2,3\n', /column 2 has no annotator name/],
    ['A,A\n1,2\n', /names two columns \(1 and 2\)/],
    ['id,A\nu,1\nu,2\n', /unit "u" appears in rows 2 and 3/],
    ['A,B\n"1,2\n', /not valid CSV/],
    ['A\u0000B', /not a CSV text file/]
  ])('refuses %j with a clear message', (text, message) => {
    expect(() => parseReliabilityCsv(text)).toThrow(AgreementError)
    expect(() => parseReliabilityCsv(text)).toThrow(message)
  })

  it('types cells as numbers when every cell is numeric and as text otherwise', () => {
    expect(reliabilityDataFromCsv(parseReliabilityCsv('A,B\n1,1.0\n2e0,-3\n'), { numeric: false }).values).toEqual([
      [1, 1],
      [2, -3]
    ])
    expect(reliabilityDataFromCsv(parseReliabilityCsv('A,B\n1,yes\n'), { numeric: false }).values).toEqual([['1', 'yes']])
  })

  it('names the row and column of a non-numeric value when numbers are needed', () => {
    const csv = parseReliabilityCsv('unit,ann,bob\nc1,1,2\nc2,3,high\n')
    expect(() => reliabilityDataFromCsv(csv, { numeric: true })).toThrow('row 3, column 3 (bob): "high" is not a number')
  })

  it("reads Krippendorff's 2011 matrix into the published nominal alpha", () => {
    const text = [
      'unit,A,B,C,D',
      ...['1,1,1,,1', '2,2,2,3,2', '3,3,3,3,3', '4,3,3,3,3', '5,2,2,2,2', '6,1,2,3,4'],
      ...['7,4,4,4,4', '8,1,1,2,1', '9,2,2,2,2', '10,,5,5,5', '11,,,1,1', '12,,,3,'],
      ''
    ].join('\n')
    expect(krippendorffAlpha(reliabilityDataFromCsv(parseReliabilityCsv(text), { numeric: false }))).toBeCloseTo(0.743, 3)
  })
})
