import { EmptyState } from '../../components/EmptyState.js'
import { PageHeader } from '../../components/PageHeader.js'

export function AnnotatorsPage() {
  return (
    <>
      <PageHeader title="Annotators" />
      <EmptyState title="Not built yet">Annotator specs.</EmptyState>
    </>
  )
}
