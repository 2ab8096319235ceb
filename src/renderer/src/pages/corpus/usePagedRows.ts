import { useCallback, useEffect, useRef, useState } from 'react'

/**
 * Rows of a long list fetched a page at a time, as a virtualised view asks for them: `rowAt`
 * answers a loaded row or undefined (and `request` fetches its page once). `reset` changes
 * whenever the list itself changes, forgetting what was loaded.
 */
export function usePagedRows<Row>(fetchPage: (offset: number, limit: number) => Promise<{ rows: Row[]; total: number }>, pageSize: number, reset: string) {
  const pages = useRef(new Map<number, Row[]>())
  const pending = useRef(new Set<number>())
  const [total, setTotal] = useState<number | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [, setVersion] = useState(0)
  const generation = useRef(0)

  const request = useCallback(
    (page: number) => {
      if (pages.current.has(page) || pending.current.has(page)) return
      pending.current.add(page)
      const asked = generation.current
      fetchPage(page * pageSize, pageSize).then(
        ({ rows, total: count }) => {
          if (asked !== generation.current) return
          pending.current.delete(page)
          pages.current.set(page, rows)
          setTotal(count)
          setVersion((value) => value + 1)
        },
        (failure: unknown) => {
          if (asked !== generation.current) return
          pending.current.delete(page)
          setError(failure)
        }
      )
    },
    [fetchPage, pageSize]
  )

  useEffect(() => {
    generation.current += 1
    pages.current = new Map()
    pending.current = new Set()
    setTotal(null)
    setError(null)
    request(0)
  }, [reset, request])

  const rowAt = (index: number): Row | undefined => {
    const page = Math.floor(index / pageSize)
    const row = pages.current.get(page)?.[index - page * pageSize]
    if (row === undefined) request(page)
    return row
  }

  return { total, error, rowAt }
}
