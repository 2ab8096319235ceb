import { EmptyState } from '../../components/EmptyState.js'
import { PageHeader } from '../../components/PageHeader.js'

export function InstructionsPage() {
  return (
    <>
      <PageHeader title="Instructions" />
      <EmptyState title="Not built yet">User, moderator and annotator instructions.</EmptyState>
    </>
  )
}
