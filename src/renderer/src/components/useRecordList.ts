import { useCallback, useEffect, useState } from 'react'
import { listEveryRecord, RECORD_COLLECTIONS, type RecordJson, type RecordKind } from '../../../shared/index.js'
import { useHost } from '../hostContext.js'

export interface RecordList<T extends RecordJson> {
  /** null until the first answer. */
  readonly items: readonly T[] | null
  /** Files of the collection that hold no valid record (listed, never hidden). */
  readonly problems: readonly { file: string; message: string }[]
  /** Why the list could not be read, or null. */
  readonly error: string | null
  reload(): Promise<void>
}

/**
 * One kind of library record, kept fresh: read once, then again whenever the host says that kind
 * changed (an edit here, an import, another window). `T` is what the page expects; the host has
 * already parsed every record with core's schema, so the cast only names that shape.
 */
export function useRecordList<T extends RecordJson>(kind: RecordKind): RecordList<T> {
  const host = useHost()
  const [items, setItems] = useState<readonly T[] | null>(null)
  const [problems, setProblems] = useState<readonly { file: string; message: string }[]>([])
  const [error, setError] = useState<string | null>(null)
  const reload = useCallback(async () => {
    try {
      // Library kinds are small, but listings are paged: read every page.
      const listing = await listEveryRecord((page) => host.api[`${RECORD_COLLECTIONS[kind]}.list`](page))
      setItems(listing.items as T[])
      setProblems(listing.problems)
      setError(null)
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure))
      setItems((previous) => previous ?? [])
    }
  }, [host, kind])
  useEffect(() => {
    void reload()
    return host.subscribe('workspace.changed', {
      onEvent: (event) => {
        if (event.kinds.includes(kind)) void reload()
      }
    })
  }, [host, kind, reload])
  return { items, problems, error, reload }
}
