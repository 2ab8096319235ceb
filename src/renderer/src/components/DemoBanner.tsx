import { Alert, Anchor, Group, Loader, Text } from '@mantine/core'
import { useEffect, useState } from 'react'
import { Link } from 'wouter'
import type { DemoStatus } from '../../../shared/index.js'
import { useHost } from '../hostContext.js'

const ACTIVE: ReadonlySet<DemoStatus['state']> = new Set(['running', 'annotating', 'analysing'])
const POLL_MS = 2000

/** Tells the banner a demo was just started, so it follows it without waiting for a page load. */
export function announceDemoStarted(): void {
  window.dispatchEvent(new Event(DEMO_STARTED))
}

const DEMO_STARTED = 'sdf-demo-started'

/**
 * The demo's progress on every page: it runs, then annotates, then charts, and a new user should
 * see each step and where the results are without knowing which page to watch.
 */
export function DemoBanner() {
  const host = useHost()
  const [status, setStatus] = useState<DemoStatus | null>(null)
  const [dismissed, setDismissed] = useState<string | null>(null)

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null
    let stopped = false
    const poll = async () => {
      timer = null
      try {
        const next = await host.api['demo.status']({})
        if (stopped) return
        setStatus(next)
        if (ACTIVE.has(next.state)) timer = setTimeout(() => void poll(), POLL_MS)
      } catch {
        // A host without the demo (or a lost link) shows no banner; the connection badge says why.
      }
    }
    const restart = () => {
      if (timer !== null) clearTimeout(timer)
      void poll()
    }
    window.addEventListener(DEMO_STARTED, restart)
    void poll()
    return () => {
      stopped = true
      if (timer !== null) clearTimeout(timer)
      window.removeEventListener(DEMO_STARTED, restart)
    }
  }, [host])

  if (status === null || status.state === 'idle' || dismissed === `${status.runId}:${status.state}`) return null
  const onClose = () => setDismissed(`${status.runId}:${status.state}`)
  if (status.state === 'failed') {
    return (
      <Alert color="red" title="The demo failed" withCloseButton onClose={onClose} mb="md" data-testid="demo-banner" data-state="failed">
        {status.message}
      </Alert>
    )
  }
  if (status.state === 'done') {
    return (
      <Alert color="green" title="The demo is done" withCloseButton onClose={onClose} mb="md" data-testid="demo-banner" data-state="done">
        <Text size="sm">
          {status.analysis?.annotatedComments ?? 0} comments annotated.{' '}
          <Anchor component={Link} href="/analysis" data-testid="demo-see-charts">
            See the charts
          </Anchor>{' '}
          or{' '}
          <Anchor component={Link} href="/transcripts">
            read the transcripts
          </Anchor>
          . {status.notice}
        </Text>
      </Alert>
    )
  }
  return (
    <Alert color="indigo" mb="md" data-testid="demo-banner" data-state={status.state}>
      <Group gap="sm" wrap="nowrap">
        <Loader size="xs" />
        <Text size="sm">
          Demo: {status.message}
          {status.runId !== null && status.state === 'running' && (
            <>
              {' '}
              <Anchor component={Link} href={`/runs/${encodeURIComponent(status.runId)}`}>
                Watch it live
              </Anchor>
            </>
          )}{' '}
          ({status.notice})
        </Text>
      </Group>
    </Alert>
  )
}
