import { Alert, Badge, Button, Card, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core'
import { useState } from 'react'
import { useLocation } from 'wouter'
import { useStore } from 'zustand'
import type { WorkspaceSummary } from '../../../../shared/index.js'
import { announceDemoStarted } from '../../components/DemoBanner.js'
import { notifyError, notifySuccess } from '../../components/notify.js'
import { PageHeader } from '../../components/PageHeader.js'
import { useAppStore, useHost, useStreamStore } from '../../hostContext.js'
import { StreamPanes } from '../../StreamPanes.js'

export function OverviewPage() {
  const store = useAppStore()
  const streams = useStreamStore()
  const info = useStore(store, (state) => state.info)
  const summary = useStore(store, (state) => state.summary)
  return (
    <>
      <PageHeader
        title="Overview"
        description={
          info.state === 'ready' ? (
            <span data-testid="app-version">
              Version {info.value.version} · {info.value.host} host on {info.value.platform}
            </span>
          ) : undefined
        }
      />
      {info.state === 'loading' && <Loader size="sm" />}
      {info.state === 'failed' && (
        <Alert color="yellow" role="status" data-testid="host-unavailable">
          {info.message}
        </Alert>
      )}
      {info.state === 'ready' && summary.state === 'ready' && <SummaryView summary={summary.value} />}
      {info.state === 'ready' && summary.state === 'failed' && (
        <Alert color="yellow" role="status">
          Workspace summary unavailable: {summary.message}
        </Alert>
      )}
      <StreamPanes store={streams} />
    </>
  )
}

function SummaryView({ summary }: { summary: WorkspaceSummary | null }) {
  if (summary === null) return <NoWorkspace />
  const rows = Object.entries(summary.counts)
  return (
    <Stack gap="lg">
      <section aria-label="Workspace summary" data-testid="workspace-summary">
        <Text c="dimmed" size="sm" mb="xs" style={{ wordBreak: 'break-all' }}>
          {summary.path}
        </Text>
        <Table w="auto" withRowBorders={false}>
          <Table.Tbody>
            {rows.map(([kind, count]) => (
              <Table.Tr key={kind}>
                <Table.Th scope="row">{kind}</Table.Th>
                <Table.Td>{count}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </section>
      <NextSteps counts={summary.counts} />
    </Stack>
  )
}

/** Desktop: open or create a workspace folder through the host's native dialog (the web host serves one fixed workspace). */
function NoWorkspace() {
  const host = useHost()
  const store = useAppStore()
  const [busy, setBusy] = useState<'open' | 'create' | null>(null)
  const choose = async (how: 'open' | 'create') => {
    setBusy(how)
    try {
      const summary = await host.api[how === 'open' ? 'workspace.open' : 'workspace.create']({})
      if (summary !== null) {
        notifySuccess(how === 'open' ? 'Workspace opened' : 'Workspace created', summary.path)
        await store.getState().refresh()
      }
    } catch (error) {
      notifyError(how === 'open' ? 'Could not open the workspace' : 'Could not create the workspace', error)
    } finally {
      setBusy(null)
    }
  }
  return (
    <Alert color="blue" title="No workspace is open" data-testid="no-workspace">
      <Stack gap="sm">
        <Text size="sm">
          A workspace is a folder that holds your library, designs, runs and results. Create a new one (it starts with example personas, topics
          and instructions) or open an existing one.
        </Text>
        <Group>
          <Button onClick={() => void choose('create')} loading={busy === 'create'} data-testid="workspace-create">
            Create a workspace…
          </Button>
          <Button variant="default" onClick={() => void choose('open')} loading={busy === 'open'} data-testid="workspace-open">
            Open a workspace…
          </Button>
        </Group>
      </Stack>
    </Alert>
  )
}

interface Step {
  key: string
  title: string
  body: string
  href: string
  action: string
  done: boolean
}

/** What to do next, in the order a new user needs it; steps already done are marked, not hidden. */
function NextSteps({ counts }: { counts: WorkspaceSummary['counts'] }) {
  const host = useHost()
  const [, navigate] = useLocation()
  const [starting, setStarting] = useState(false)
  const library = counts.personas > 0 && counts.topics > 0 && counts.instructions > 0
  const steps: Step[] = [
    {
      key: 'import',
      title: 'Import SDF files',
      body: 'Bring in personas, topics, instructions and finished discussions from SDF or SynDisco folders.',
      href: '/import',
      action: 'Import',
      done: counts.discussions > 0
    },
    {
      key: 'library',
      title: 'Build your library',
      body: 'Write personas, topics and instructions, or adapt the starter examples.',
      href: '/library/personas',
      action: 'Open personas',
      done: library
    },
    {
      key: 'design',
      title: 'Design an experiment',
      body: 'Cross topics, instructions, moderators and models; see how many discussions and how long.',
      href: '/designer',
      action: 'Open the designer',
      done: false
    },
    {
      key: 'model',
      title: 'Get a model',
      body: 'Runs need a GGUF model: download one, or make the tiny demo model to try the flow.',
      href: '/models',
      action: 'Models',
      done: false
    }
  ]
  if (counts.discussions > 0) return null
  return (
    <section aria-label="Next steps" data-testid="next-steps">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          Get started
        </Title>
        <Button
          variant="light"
          loading={starting}
          data-testid="start-demo"
          onClick={async () => {
            setStarting(true)
            try {
              const demo = await host.api['demo.start']({ concurrency: 2 })
              notifySuccess('Demo started', demo.notice)
              announceDemoStarted()
              navigate(`/runs/${encodeURIComponent(demo.runId)}`)
            } catch (error) {
              notifyError('Could not start the demo', error)
            } finally {
              setStarting(false)
            }
          }}
        >
          Run the demo (one click)
        </Button>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
        {steps.map((step, index) => (
          <Card key={step.key} withBorder padding="md" data-testid={`next-step-${step.key}`}>
            <Stack gap={6} h="100%" justify="space-between">
              <Stack gap={6}>
                <Group gap="xs" wrap="nowrap" align="flex-start">
                  <Badge variant="light" circle mt={2} style={{ flexShrink: 0 }}>
                    {index + 1}
                  </Badge>
                  <Text fw={600}>{step.title}</Text>
                  {step.done && (
                    <Badge color="green" variant="light" size="xs">
                      done
                    </Badge>
                  )}
                </Group>
                <Text size="sm" c="dimmed">
                  {step.body}
                </Text>
              </Stack>
              <Button variant={step.done ? 'default' : 'filled'} size="xs" w="fit-content" onClick={() => navigate(step.href)}>
                {step.action}
              </Button>
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
    </section>
  )
}
