import type { AnalysisDiscussion } from '../analysis/dataset/analysisDataset.js'
import { commentLabelValue, numericLabelValue } from '../analysis/dataset/commentLabelValue.js'
import { discussionGroup, NO_GROUP } from '../analysis/dataset/grouping.js'
import { isSilentText } from '../analysis/text/isSilentText.js'
import type { DiscussionSnapshot, IndexedDiscussion } from './discussionIndex.js'

export interface DiscussionSearchQuery {
  text?: string | undefined
  conditions?: Readonly<Record<string, string>> | undefined
  model?: string | undefined
  personaAttribute?: { key: string; value: string } | undefined
  label?: { name: string; min?: number | undefined; max?: number | undefined } | undefined
  minDisagreement?: number | undefined
  sort?: { by: 'id' | 'createdAt' | 'commentCount' | 'disagreement' | 'label'; label?: string | undefined; descending: boolean } | undefined
  offset: number
  limit: number
}

/** The light summary of a discussion that a result list shows. */
export interface DiscussionSummary {
  id: string
  title: string
  status: string
  conditions: Record<string, string>
  model: string | null
  commentCount: number
  participants: string[]
  createdAt: string | null
  labelMeans: Record<string, number>
  annotationCount: number
  disagreement: number | null
}

interface Derived {
  summary: DiscussionSummary
  labels: string[]
  /** Lower-cased text of the topic, participants and comments; built on the first text search. */
  searchText?: string
}

const TITLE_LENGTH = 120

/**
 * `discussions.search` over the index: filters, light summaries and the facets for filter menus.
 * Summaries are derived once per discussion version (the index replaces an item when its files
 * change), so a search over 10,000 discussions is a loop over objects already in memory.
 */
export function searchDiscussions(snapshot: DiscussionSnapshot, query: DiscussionSearchQuery) {
  const words = (query.text ?? '').toLowerCase().split(/\s+/).filter((word) => word !== '')
  const conditionValues = new Map<string, Set<string>>()
  const labels = new Set<string>()
  const models = new Set<string>()
  const matches: DiscussionSummary[] = []
  for (const item of snapshot.discussions) {
    const derived = derive(item)
    const { summary } = derived
    for (const [key, value] of Object.entries(summary.conditions)) {
      let values = conditionValues.get(key)
      if (!values) conditionValues.set(key, (values = new Set()))
      values.add(value)
    }
    for (const label of derived.labels) labels.add(label)
    if (summary.model !== null) models.add(summary.model)
    if (matchesQuery(item, derived, query, words)) matches.push(summary)
  }
  if (query.sort && query.sort.by !== 'id') sortSummaries(matches, query.sort)
  else if (query.sort?.descending) matches.reverse()
  return {
    total: matches.length,
    items: matches.slice(query.offset, query.offset + query.limit),
    conditionKeys: [...conditionValues.entries()]
      .sort(([a], [b]) => compareText(a, b))
      .map(([key, values]) => ({ key, values: [...values].sort(compareText) })),
    labels: [...labels].sort(compareText),
    models: [...models].sort(compareText),
    problems: [...snapshot.problems]
  }
}

function matchesQuery(item: IndexedDiscussion, derived: Derived, query: DiscussionSearchQuery, words: readonly string[]): boolean {
  const { summary } = derived
  if (query.conditions) {
    for (const [key, value] of Object.entries(query.conditions)) if (summary.conditions[key] !== value) return false
  }
  if (query.model !== undefined && summary.model !== query.model) return false
  if (query.label) {
    const mean = summary.labelMeans[query.label.name]
    if (mean === undefined) return false
    if (query.label.min !== undefined && mean < query.label.min) return false
    if (query.label.max !== undefined && mean > query.label.max) return false
  }
  if (query.minDisagreement !== undefined && (summary.disagreement === null || summary.disagreement < query.minDisagreement)) return false
  if (query.personaAttribute && !hasPersonaAttribute(item.analysis, query.personaAttribute.key, query.personaAttribute.value)) return false
  if (words.length > 0) {
    derived.searchText ??= searchTextOf(item)
    for (const word of words) if (!derived.searchText.includes(word)) return false
  }
  return true
}

function derive(item: IndexedDiscussion): Derived {
  if (item.derived === undefined) item.derived = summarise(item)
  return item.derived as Derived
}

function summarise(item: IndexedDiscussion): Derived {
  const discussion = item.analysis
  const model = discussionGroup(discussion, { by: 'model' })
  const { means, labels } = labelSummary(discussion)
  return {
    summary: {
      id: discussion.id,
      title: titleOf(item),
      status: item.status,
      conditions: { ...discussion.conditions },
      model: model === NO_GROUP ? null : model,
      commentCount: discussion.comments.length,
      participants: discussion.participants.map((participant) => participant.username),
      createdAt: item.timestamp,
      labelMeans: means,
      annotationCount: item.annotationCount,
      disagreement: disagreementOf(discussion)
    },
    labels
  }
}

function titleOf(item: IndexedDiscussion): string {
  const source =
    item.context?.trim() || item.analysis.comments.find((comment) => !isSilentText(comment.text))?.text.trim() || item.analysis.id
  const line = source.replace(/\s+/g, ' ')
  return line.length <= TITLE_LENGTH ? line : `${line.slice(0, TITLE_LENGTH - 1)}…`
}

function labelSummary(discussion: AnalysisDiscussion): { means: Record<string, number>; labels: string[] } {
  const labels = new Set<string>()
  for (const comment of discussion.comments) {
    for (const rating of comment.ratings) {
      for (const [label, value] of Object.entries(rating.values)) if (value !== null) labels.add(label)
    }
  }
  const means: Record<string, number> = {}
  for (const label of labels) {
    let sum = 0
    let count = 0
    for (const comment of discussion.comments) {
      const value = commentLabelValue(comment, label)
      if (value === undefined) continue
      sum += value
      count += 1
    }
    if (count > 0) means[label] = sum / count
  }
  return { means, labels: [...labels] }
}

/**
 * Mean disagreement over (comment, label) cells rated by two or more annotators: max − min for
 * numeric labels, 0 or 1 (all equal or not) for categories. A single number a list can sort and
 * filter by; the agreement coefficients are `agreement.matrix`'s job.
 */
export function disagreementOf(discussion: AnalysisDiscussion): number | null {
  let sum = 0
  let cells = 0
  for (const comment of discussion.comments) {
    if (comment.ratings.length < 2) continue
    const byLabel = new Map<string, (number | string)[]>()
    for (const rating of comment.ratings) {
      for (const [label, value] of Object.entries(rating.values)) {
        if (value === null) continue
        const numeric = numericLabelValue(value)
        const list = byLabel.get(label) ?? []
        list.push(numeric ?? String(value))
        byLabel.set(label, list)
      }
    }
    for (const values of byLabel.values()) {
      if (values.length < 2) continue
      if (values.every((value) => typeof value === 'number')) {
        const numbers = values as number[]
        sum += Math.max(...numbers) - Math.min(...numbers)
      } else {
        sum += new Set(values.map(String)).size > 1 ? 1 : 0
      }
      cells += 1
    }
  }
  return cells === 0 ? null : sum / cells
}

function hasPersonaAttribute(discussion: AnalysisDiscussion, key: string, wanted: string): boolean {
  const target = wanted.trim().toLowerCase()
  return discussion.participants.some((participant) => {
    const persona = participant.persona as unknown as Record<string, unknown>
    const value = key in persona && key !== 'extra_attributes' ? persona[key] : participant.persona.extra_attributes[key]
    const values = Array.isArray(value) ? value : [value]
    return values.some((one) => one !== undefined && one !== null && String(one).trim().toLowerCase() === target)
  })
}

function searchTextOf(item: IndexedDiscussion): string {
  const parts = [item.analysis.id, item.context ?? '', ...item.analysis.participants.map((participant) => participant.username)]
  for (const comment of item.analysis.comments) parts.push(comment.text)
  return parts.join('\n').toLowerCase()
}

/** Sorts in place by one field; missing values (null, no such label) last whatever the direction, ties by id. */
function sortSummaries(items: DiscussionSummary[], sort: NonNullable<DiscussionSearchQuery['sort']>): void {
  const valueOf = (item: DiscussionSummary): number | string | null => {
    switch (sort.by) {
      case 'createdAt':
        return item.createdAt
      case 'commentCount':
        return item.commentCount
      case 'disagreement':
        return item.disagreement
      case 'label':
        return sort.label === undefined ? null : (item.labelMeans[sort.label] ?? null)
      default:
        return item.id
    }
  }
  const direction = sort.descending ? -1 : 1
  const keyed = items.map((item) => ({ item, value: valueOf(item) }))
  keyed.sort((a, b) => {
    if (a.value === null || b.value === null) return a.value === b.value ? compareText(a.item.id, b.item.id) : a.value === null ? 1 : -1
    const order = typeof a.value === 'number' && typeof b.value === 'number' ? a.value - b.value : compareText(String(a.value), String(b.value))
    return order === 0 ? compareText(a.item.id, b.item.id) : direction * order
  })
  keyed.forEach((entry, position) => (items[position] = entry.item))
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
