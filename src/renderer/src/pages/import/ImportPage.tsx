import { EmptyState } from '../../components/EmptyState.js'
import { PageHeader } from '../../components/PageHeader.js'

export function ImportPage() {
  return (
    <>
      <PageHeader title="Import" />
      <EmptyState title="Not built yet">Import SDF and SynDisco files.</EmptyState>
    </>
  )
}
