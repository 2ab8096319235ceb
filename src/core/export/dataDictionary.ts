import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { csvField } from './csvField.js'
import type { TableDefinition } from './tableColumn.js'

export interface DataDictionaryEntry {
  table: string
  column: string
  type: string
  description: string
}

/** Every column of every table with its type and meaning, in table and column order. */
export function dataDictionary(tables: readonly TableDefinition[]): DataDictionaryEntry[] {
  return tables.flatMap((table) =>
    table.columns.map((column) => ({ table: table.name, column: column.name, type: column.type, description: column.description }))
  )
}

/** `data_dictionary.csv` and `data_dictionary.json` (the JSON also describes each table). */
export async function writeDataDictionary(folder: string, tables: readonly TableDefinition[]): Promise<string[]> {
  const entries = dataDictionary(tables)
  const csv = [
    'table,column,type,description',
    ...entries.map((entry) => [entry.table, entry.column, entry.type, entry.description].map(csvField).join(','))
  ].join('\n')
  const csvPath = join(folder, 'data_dictionary.csv')
  const jsonPath = join(folder, 'data_dictionary.json')
  await writeFile(csvPath, `${csv}\n`, 'utf8')
  await writeFile(
    jsonPath,
    `${JSON.stringify(
      {
        tables: tables.map((table) => ({ name: table.name, description: table.description })),
        columns: entries
      },
      null,
      2
    )}\n`,
    'utf8'
  )
  return [csvPath, jsonPath]
}
