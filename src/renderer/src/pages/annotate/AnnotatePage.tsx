import { Tabs } from '@mantine/core'
import { useLocation, useSearch } from 'wouter'
import { PageHeader } from '../../components/PageHeader.js'
import { HumanAnnotation } from './HumanAnnotation.js'
import { LlmAnnotation } from './LlmAnnotation.js'

/** `/annotate` (LLM annotators), `/annotate/human` (blind human mode); `?discussion=<id>` preselects one. */
export function AnnotatePage() {
  const [location, navigate] = useLocation()
  const search = useSearch()
  const discussion = new URLSearchParams(search).get('discussion')
  const tab = location.startsWith('/annotate/human') ? 'human' : 'llm'
  return (
    <>
      <PageHeader title="Annotation" description="Label comments with LLM annotators, or yourself in a blind mode, so both can be compared on the Analysis page." />
      <Tabs value={tab} onChange={(value) => navigate(value === 'human' ? '/annotate/human' : '/annotate')} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="llm" data-testid="tab-llm">
            LLM annotators
          </Tabs.Tab>
          <Tabs.Tab value="human" data-testid="tab-human">
            Human (blind)
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="llm">
          <LlmAnnotation preselected={discussion} />
        </Tabs.Panel>
        <Tabs.Panel value="human">
          <HumanAnnotation preselected={discussion} />
        </Tabs.Panel>
      </Tabs>
    </>
  )
}
