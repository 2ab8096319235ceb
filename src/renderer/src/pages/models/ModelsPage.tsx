import { EmptyState } from '../../components/EmptyState.js'
import { PageHeader } from '../../components/PageHeader.js'

export function ModelsPage() {
  return (
    <>
      <PageHeader title="Models" />
      <EmptyState title="Not built yet">Model files.</EmptyState>
    </>
  )
}
