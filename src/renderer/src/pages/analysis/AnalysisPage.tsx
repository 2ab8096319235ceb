import { EmptyState } from '../../components/EmptyState.js'
import { PageHeader } from '../../components/PageHeader.js'

export function AnalysisPage() {
  return (
    <>
      <PageHeader title="Analysis" />
      <EmptyState title="Not built yet">Charts and statistics.</EmptyState>
    </>
  )
}
