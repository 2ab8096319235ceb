import { EmptyState } from '../../components/EmptyState.js'
import { PageHeader } from '../../components/PageHeader.js'

export function AnnotatePage() {
  return (
    <>
      <PageHeader title="Annotation" />
      <EmptyState title="Not built yet">LLM and human annotation.</EmptyState>
    </>
  )
}
