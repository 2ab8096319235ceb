import { EmptyState } from '../../components/EmptyState.js'
import { PageHeader } from '../../components/PageHeader.js'

export function RunsPage() {
  return (
    <>
      <PageHeader title="Runs" />
      <EmptyState title="Not built yet">Live runs.</EmptyState>
    </>
  )
}
