import { useMemo } from 'react'
import { RECORD_COLLECTIONS, type RecordJson, type RecordKind } from '../../../shared/index.js'
import { useHost } from '../hostContext.js'
import { notifyError, notifySuccess } from './notify.js'

/** Writing and deleting one kind of record through the host, with toasts for what happened. */
export function useRecordActions(kind: RecordKind) {
  const host = useHost()
  return useMemo(() => {
    const prefix = RECORD_COLLECTIONS[kind]
    return {
      /** Stores the record (create or replace); throws the host's error for the form to place. */
      async save(record: RecordJson): Promise<RecordJson> {
        return host.api[`${prefix}.put`]({ record })
      },
      /** Stores many (duplicates, variations); answers how many were stored and toasts the failures. */
      async saveMany(records: readonly RecordJson[]): Promise<number> {
        let stored = 0
        for (const record of records) {
          try {
            await host.api[`${prefix}.put`]({ record })
            stored += 1
          } catch (error) {
            notifyError(`Could not save ${kind} "${record.id}"`, error)
          }
        }
        return stored
      },
      /** Deletes the records, toasting each failure and the total. */
      async removeMany(ids: readonly string[]): Promise<number> {
        let removed = 0
        for (const id of ids) {
          try {
            const { deleted } = await host.api[`${prefix}.delete`]({ id })
            if (deleted) removed += 1
          } catch (error) {
            notifyError(`Could not delete ${kind} "${id}"`, error)
          }
        }
        if (removed > 0) notifySuccess(`Deleted ${removed} ${kind}${removed === 1 ? '' : 's'}`)
        return removed
      }
    }
  }, [host, kind])
}
