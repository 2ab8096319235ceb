import { EmptyState } from '../../components/EmptyState.js'
import { PageHeader } from '../../components/PageHeader.js'

export function TranscriptsPage() {
  return (
    <>
      <PageHeader title="Transcripts" />
      <EmptyState title="Not built yet">Browse discussions.</EmptyState>
    </>
  )
}
