import { EmptyState } from '../../components/EmptyState.js'
import { PageHeader } from '../../components/PageHeader.js'

export function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" />
      <EmptyState title="Not built yet">App settings.</EmptyState>
    </>
  )
}
