import { describe, expect, it } from 'vitest'
import { csvCell, fileNameFor, rowsToCsv } from '../../../../src/renderer/src/results/csv.js'

describe('the CSV of a chart', () => {
  it('has a header of every column in first-seen order and one CRLF line per row', () => {
    expect(rowsToCsv([{ group: 'a', mean: 1.5 }, { group: 'b', mean: 2, n: 3 }])).toBe('group,mean,n\r\na,1.5,\r\nb,2,3\r\n')
  })

  it('quotes cells with commas, quotes, line breaks or edge spaces, and leaves nulls empty', () => {
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('two\nlines')).toBe('"two\nlines"')
    expect(csvCell(' padded')).toBe('" padded"')
    expect(csvCell(null)).toBe('')
    expect(csvCell(undefined)).toBe('')
    expect(csvCell(0)).toBe('0')
  })

  it('keeps the given columns in the given order', () => {
    expect(rowsToCsv([{ b: 2, a: 1, c: 3 }], ['a', 'b'])).toBe('a,b\r\n1,2\r\n')
  })

  it('names the file after the chart', () => {
    expect(fileNameFor('Toxicity over turns', 'csv')).toBe('toxicity-over-turns.csv')
    expect(fileNameFor('  ', 'png')).toBe('chart.png')
  })
})
