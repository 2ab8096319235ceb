import type { Annotator } from '../schema/index.js'
import type { ColumnSpec, FlatCellScope, FlatRow, TableSpec } from './exportTableSpecs.js'
import type { CellValue } from './tableColumn.js'
import type { EncodedCells, RowPart, TableWriter } from './tableWriter.js'

/** Distinct annotators remembered encoded; more than this (annotators not shared) starts afresh. */
const ANNOTATOR_ENTRIES = 256

interface Run {
  scope: FlatCellScope
  /** The table column of the run's first cell. */
  first: number
  columns: ColumnSpec<FlatRow>[]
  /** Annotator runs: encoded cells per annotator object (null: a comment without annotations). */
  byAnnotator: Map<Annotator | null, EncodedCells>
}

/**
 * Writes SynDisco's flat rows. A comment's cells (its text, the speaker's prompt and traits) are
 * the same on the row of every annotation of it, and an annotator's cells (its prompt, traits) on
 * every row it labelled: with a writer that can splice encoded cells, each is encoded once and
 * copied after, so only the annotation's own text is encoded per row. Any other writer gets plain
 * rows. Either way the bytes written are the same.
 */
export function flatRowWriter(spec: TableSpec<FlatRow>, writer: TableWriter): (row: FlatRow) => Promise<void> | undefined {
  const { encodeCells, writeRowParts } = writer
  if (!encodeCells || !writeRowParts) {
    return (row) => {
      const values = new Array<CellValue>(spec.columns.length)
      for (let i = 0; i < spec.columns.length; i++) values[i] = spec.columns[i]!.get(row)
      return writer.writeRow(values)
    }
  }
  const runs: Run[] = []
  spec.columns.forEach((column, index) => {
    const scope = column.scope ?? 'row'
    const last = runs[runs.length - 1]
    if (last && last.scope === scope) last.columns.push(column)
    else runs.push({ scope, first: index, columns: [column], byAnnotator: new Map() })
  })
  const values = (run: Run, row: FlatRow): CellValue[] => run.columns.map((column) => column.get(row))
  const parts = new Array<RowPart>(runs.length)
  let lastComment: FlatRow['comment'] | undefined
  return (row) => {
    const commentChanged = row.comment !== lastComment
    lastComment = row.comment
    for (let i = 0; i < runs.length; i++) {
      const run = runs[i]!
      if (run.scope === 'comment') {
        if (commentChanged) parts[i] = encodeCells.call(writer, values(run, row), run.first)
      } else if (run.scope === 'annotator') {
        const annotator = row.annotation?.annotator ?? null
        let encoded = run.byAnnotator.get(annotator)
        if (encoded === undefined) {
          if (run.byAnnotator.size >= ANNOTATOR_ENTRIES) run.byAnnotator.clear()
          run.byAnnotator.set(annotator, (encoded = encodeCells.call(writer, values(run, row), run.first)))
        }
        parts[i] = encoded
      } else {
        parts[i] = values(run, row)
      }
    }
    return writeRowParts.call(writer, parts)
  }
}
