import { z } from 'zod'

/** Column types as DuckDB / Parquet name them; CSV and JSONL carry the same values untyped. */
export const ColumnTypeSchema = z.enum(['VARCHAR', 'BIGINT', 'DOUBLE', 'BOOLEAN'])
export type ColumnType = z.infer<typeof ColumnTypeSchema>

export interface TableColumn {
  name: string
  type: ColumnType
  description: string
}

export interface TableDefinition {
  /** File name stem: `<out>/<name>.csv` etc. */
  name: string
  description: string
  columns: TableColumn[]
}

/** A cell as the row builders produce it; lists and objects arrive already serialised to text. */
export type CellValue = string | number | boolean | null
