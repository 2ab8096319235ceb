import { useEffect, useState } from 'react'
import { listEveryRecord } from '../../../../shared/index.js'
import { useHost } from '../../hostContext.js'
import { notifyError } from '../../components/notify.js'

export interface AnnotatorOption {
  readonly value: string
  readonly label: string
}

/** The workspace's annotator specs as select options (null while loading). */
export function useAnnotators(): AnnotatorOption[] | null {
  const host = useHost()
  const [options, setOptions] = useState<AnnotatorOption[] | null>(null)
  useEffect(() => {
    listEveryRecord((page) => host.api['annotators.list'](page)).then(
      (listing) => setOptions(listing.items.map((item) => ({ value: item.id, label: typeof item['name'] === 'string' ? `${item['name']} (${item.id})` : item.id }))),
      (error: unknown) => {
        setOptions([])
        notifyError('Could not list the annotators', error)
      }
    )
  }, [host])
  return options
}

/** Every discussion id (up to the search limit), for selections. */
export function useDiscussionIds(): string[] | null {
  const host = useHost()
  const [ids, setIds] = useState<string[] | null>(null)
  useEffect(() => {
    host.api['discussions.search']({ limit: 1000 }).then(
      (result) => setIds(result.items.map((item) => item.id)),
      () => setIds([])
    )
  }, [host])
  return ids
}
