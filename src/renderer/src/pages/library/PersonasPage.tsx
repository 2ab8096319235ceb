import { EmptyState } from '../../components/EmptyState.js'
import { PageHeader } from '../../components/PageHeader.js'

export function PersonasPage() {
  return (
    <>
      <PageHeader title="Personas" />
      <EmptyState title="Not built yet">Personas of the workspace.</EmptyState>
    </>
  )
}
