import { EmptyState } from '../../components/EmptyState.js'
import { PageHeader } from '../../components/PageHeader.js'

export function DesignerPage() {
  return (
    <>
      <PageHeader title="Experiment designer" />
      <EmptyState title="Not built yet">Design experiments.</EmptyState>
    </>
  )
}
