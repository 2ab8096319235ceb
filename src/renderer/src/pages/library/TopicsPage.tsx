import { EmptyState } from '../../components/EmptyState.js'
import { PageHeader } from '../../components/PageHeader.js'

export function TopicsPage() {
  return (
    <>
      <PageHeader title="Topics" />
      <EmptyState title="Not built yet">Topics of the workspace.</EmptyState>
    </>
  )
}
