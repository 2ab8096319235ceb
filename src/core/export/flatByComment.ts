import type { Annotation } from '../schema/index.js'
import type { AnnotatorRegistry } from './exportScan.js'
import type { ColumnSpec, FlatRow, TableSpec } from './exportTableSpecs.js'
import type { CellValue, TableColumn, TableDefinition } from './tableColumn.js'
import type { TableWriter } from './tableWriter.js'

/**
 * SynDisco's flat table laid out one row per comment, for DuckDB to expand into the Parquet file.
 * The flat table repeats each comment's cells (its text, the speaker's prompt and traits) on the
 * row of every annotation of it; spelled out, that is 810 MB of CSV for 600,000 annotations, which
 * DuckDB then parses again. In this layout a comment's cells come once, followed by one JSON cell
 * holding its rows: each row's own cells and its annotator's key. The annotators' cells (their
 * prompts, traits) are written once each to a table of their own and looked up by key.
 */

/** The column of the by-comment layout that holds the comment's rows, as JSON. */
export const FLAT_ROWS_COLUMN = 'sdf_flat_rows'
/** In each row's JSON object: the annotator's key (null: a comment without annotations). */
export const FLAT_ROW_ANNOTATOR_KEY = 'k'
/** The annotators table of the layout: key, position, then the flat table's annotator cells. */
const FLAT_ANNOTATOR_KEY_COLUMN = 'sdf_annotator_key'
export const FLAT_ANNOTATOR_ORDINAL_COLUMN = 'sdf_annotator_ordinal'

/** A comment of the flat table: its cells' context and the annotations that make its rows. */
export type FlatComment = Omit<FlatRow, 'annotation'> & { annotations: readonly Annotation[] }

/** The flat table's columns by what their cells depend on, each with its position in the JSON objects or the annotators table. */
export interface FlatColumns {
  comment: ColumnSpec<FlatRow>[]
  row: ColumnSpec<FlatRow>[]
  annotator: ColumnSpec<FlatRow>[]
}

export function flatColumns(spec: TableSpec<FlatRow>): FlatColumns {
  const of = (scope: string) => spec.columns.filter((column) => (column.scope ?? 'row') === scope)
  return { comment: of('comment'), row: of('row'), annotator: of('annotator') }
}

/** Key of the n-th row cell in a row's JSON object (the column names might clash with the annotator key). */
export function flatRowCellKey(index: number): string {
  return `c${index}`
}

const plain = ({ name, type, description }: TableColumn): TableColumn => ({ name, type, description })

/** The by-comment layout's table: the comment cells, then the rows' JSON. */
export function flatByCommentDefinition(spec: TableSpec<FlatRow>): TableDefinition {
  return {
    name: spec.name,
    description: `${spec.description} (one row per comment, its rows as JSON)`,
    columns: [...flatColumns(spec).comment.map(plain), { name: FLAT_ROWS_COLUMN, type: 'VARCHAR', description: 'The rows of the comment, as JSON' }]
  }
}

/** The layout's annotators table: each annotator's key and position, then its flat-table cells. */
export function flatAnnotatorsDefinition(spec: TableSpec<FlatRow>): TableDefinition {
  return {
    name: `${spec.name}_annotators`,
    description: 'The annotator cells of the flat table, once per annotator',
    columns: [
      { name: FLAT_ANNOTATOR_KEY_COLUMN, type: 'VARCHAR', description: 'Annotator id' },
      { name: FLAT_ANNOTATOR_ORDINAL_COLUMN, type: 'BIGINT', description: 'Position of the annotator' },
      ...flatColumns(spec).annotator.map(plain)
    ]
  }
}

/** Writes the layout's annotators table: every distinct annotator id once, in registry order; returns the ids written. */
export async function writeFlatAnnotators(spec: TableSpec<FlatRow>, annotators: AnnotatorRegistry, writer: TableWriter): Promise<string[]> {
  const columns = flatColumns(spec).annotator
  const keys: string[] = []
  const written = new Set<string>()
  for (const { id, annotator } of annotators.list()) {
    // Annotators equal up to their persona's key order share an id: its cells are the same.
    if (written.has(id)) continue
    written.add(id)
    const context = { annotation: { annotator } } as FlatRow
    const wait = writer.writeRow([id, keys.length, ...columns.map((column) => column.get(context))])
    keys.push(id)
    if (wait) await wait
  }
  return keys
}

/**
 * Writes each comment as one row of the by-comment layout. `annotatorKey` gives an annotation's
 * annotator id (the same id the annotators table gets).
 */
export function flatByCommentWriter(
  spec: TableSpec<FlatRow>,
  writer: TableWriter,
  annotatorKey: (annotation: Annotation) => string
): (comment: FlatComment) => Promise<void> | undefined {
  const { comment: commentColumns, row: rowColumns } = flatColumns(spec)
  const values = new Array<CellValue>(commentColumns.length + 1)
  const cellKeys = rowColumns.map((_, index) => `,${JSON.stringify(flatRowCellKey(index))}:`)
  const keyPrefix = `{${JSON.stringify(FLAT_ROW_ANNOTATOR_KEY)}:`
  // Built by hand around JSON.stringify of each cell: a row object per annotation made JSON.stringify's input cost more than its output.
  const rowJson = (row: FlatRow, key: string | null): string => {
    let text = keyPrefix + JSON.stringify(key)
    for (let i = 0; i < rowColumns.length; i++) text += cellKeys[i]! + jsonCell(rowColumns[i]!.get(row))
    return `${text}}`
  }
  return (comment) => {
    const row: FlatRow = { ...comment, annotation: undefined }
    for (let i = 0; i < commentColumns.length; i++) values[i] = commentColumns[i]!.get(row)
    let rows = '['
    if (comment.annotations.length === 0) rows += rowJson(row, null)
    for (let i = 0; i < comment.annotations.length; i++) {
      const annotation = comment.annotations[i]!
      row.annotation = annotation
      rows += (i === 0 ? '' : ',') + rowJson(row, annotatorKey(annotation))
    }
    values[commentColumns.length] = `${rows}]`
    return writer.writeRow(values)
  }
}

/**
 * A cell as JSON. A lone UTF-16 surrogate becomes U+FFFD, as the CSV writer's UTF-8 encoding
 * makes it, where JSON.stringify would write an escape DuckDB's JSON reader refuses; numbers
 * that JSON cannot hold (NaN, ±Infinity) are null, as in the CSV and JSONL tables.
 */
function jsonCell(value: CellValue): string {
  if (typeof value === 'string') return JSON.stringify((value as string & { toWellFormed(): string }).toWellFormed())
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null'
  return JSON.stringify(value)
}
