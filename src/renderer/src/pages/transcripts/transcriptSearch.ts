import type { AppHost } from '../../apiClient.js'
import { listEveryRecord } from '../../../../shared/index.js'
import { conditionKeys, filterRows, parseAttribute, rowFromRecord, type DiscussionRow, type TranscriptFilter } from '../../results/discussionRecord.js'

export interface TranscriptListing {
  readonly rows: DiscussionRow[]
  readonly total: number
  readonly conditionKeys: { key: string; values: string[] }[]
  readonly labels: string[]
  readonly models: string[]
  /** True when the host searched (labels and disagreement filters work); false when filtered here. */
  readonly searchedOnHost: boolean
}

function modelsOf(rows: readonly DiscussionRow[]): string[] {
  return [...new Set(rows.map((row) => row.model).filter((model): model is string => model !== null))].sort()
}

/** Rows one search answers (the contract's limit); the list asks for the next page as it is scrolled. */
export const SEARCH_LIMIT = 1000

/** The columns the host can order by (`discussions.search`'s `sort.by`), by the list's column id. */
export const HOST_SORTABLE = { id: 'id', createdAt: 'createdAt', commentCount: 'commentCount' } as const

export interface SearchPage {
  /** Rows already listed; the next page starts there. */
  offset?: number
  sort?: { by: (typeof HOST_SORTABLE)[keyof typeof HOST_SORTABLE]; descending: boolean }
}

/** Whether the host searches (and pages, and sorts) itself; otherwise the list filters every record here. */
export function hostSearches(host: AppHost): boolean {
  return Object.hasOwn(host.api, 'discussions.search')
}

let cachedRecords: { rows: DiscussionRow[] } | null = null

/** Forgets the records read for client-side filtering (after the workspace changed). */
export function forgetTranscriptCache(): void {
  cachedRecords = null
}

/** The transcript list for a filter: the host's `discussions.search` when it has one, else every record filtered here. */
export async function searchTranscripts(host: AppHost, filter: TranscriptFilter, page: SearchPage = {}): Promise<TranscriptListing> {
  if (hostSearches(host)) {
    const attribute = filter.personaAttribute ? parseAttribute(filter.personaAttribute) : null
    const conditions = Object.fromEntries(Object.entries(filter.conditions ?? {}).filter(([, value]) => value !== ''))
    const result = await host.api['discussions.search']({
      ...(filter.text ? { text: filter.text } : {}),
      ...(Object.keys(conditions).length > 0 ? { conditions } : {}),
      ...(filter.model ? { model: filter.model } : {}),
      ...(attribute ? { personaAttribute: attribute } : {}),
      ...(filter.label ? { label: { name: filter.label.name, ...(filter.label.min !== undefined ? { min: filter.label.min } : {}), ...(filter.label.max !== undefined ? { max: filter.label.max } : {}) } } : {}),
      ...(filter.minDisagreement !== undefined && filter.minDisagreement !== null ? { minDisagreement: filter.minDisagreement } : {}),
      ...(page.sort ? { sort: page.sort } : {}),
      offset: page.offset ?? 0,
      limit: SEARCH_LIMIT
    })
    const rows: DiscussionRow[] = result.items.map((item) => ({
      id: item.id,
      title: item.title,
      conditions: item.conditions,
      model: item.model,
      commentCount: item.commentCount,
      participants: item.participants,
      createdAt: item.createdAt,
      labelMeans: item.labelMeans,
      disagreement: item.disagreement,
      personaAttributes: [],
      haystack: ''
    }))
    return { rows, total: result.total, conditionKeys: result.conditionKeys, labels: result.labels, models: result.models, searchedOnHost: true }
  }
  if (cachedRecords === null) {
    const listing = await listEveryRecord((page) => host.api['discussions.list'](page))
    cachedRecords = { rows: listing.items.map(rowFromRecord).filter((row): row is DiscussionRow => row !== null) }
  }
  const all = cachedRecords.rows
  const rows = filterRows(all, filter)
  return { rows, total: rows.length, conditionKeys: conditionKeys(all), labels: [], models: modelsOf(all), searchedOnHost: false }
}
