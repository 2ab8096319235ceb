import { Button, Group, Paper, Text, Title } from '@mantine/core'
import { useEffect, useRef, type ReactNode } from 'react'
import { notifyError } from '../../components/notify.js'
import { fileNameFor, rowsToCsv } from '../../results/csv.js'
import { downloadBlob, downloadText, svgMarkup, svgToPng } from '../../results/download.js'

/**
 * A chart with its exports: the SVG as drawn, a PNG drawn from it, and the CSV of the rows it was
 * drawn from. `draw` makes an Observable Plot figure (an SVG, or a figure holding one and a legend).
 */
export function ChartCard({
  title,
  testId,
  rows,
  draw,
  children,
  empty
}: {
  title: string
  testId: string
  rows: readonly object[]
  draw: ((width: number) => SVGSVGElement | HTMLElement) | null
  children?: ReactNode
  /** Shown instead of the chart when there is nothing to draw. */
  empty?: ReactNode
}) {
  const holder = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const element = holder.current
    if (element === null || draw === null || rows.length === 0) return
    const figure = draw(Math.max(320, element.clientWidth))
    element.replaceChildren(figure)
    return () => figure.remove()
  }, [draw, rows])
  const svg = (): SVGSVGElement | null => holder.current?.querySelector('svg[class*="plot"]') ?? holder.current?.querySelector('svg') ?? null
  const exportSvg = () => {
    const element = svg()
    if (element !== null) downloadText(fileNameFor(title, 'svg'), svgMarkup(element), 'image/svg+xml')
  }
  const exportPng = async () => {
    const element = svg()
    if (element === null) return
    try {
      downloadBlob(fileNameFor(title, 'png'), await svgToPng(element))
    } catch (error) {
      notifyError('Could not make the PNG', error)
    }
  }
  const hasChart = draw !== null && rows.length > 0
  return (
    <Paper withBorder p="sm" data-testid={testId} aria-label={title} component="section">
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Title order={4}>{title}</Title>
        <Group gap={4} wrap="nowrap">
          <Button size="compact-xs" variant="default" disabled={!hasChart} onClick={exportSvg} data-testid="export-svg">
            SVG
          </Button>
          <Button size="compact-xs" variant="default" disabled={!hasChart} onClick={() => void exportPng()} data-testid="export-png">
            PNG
          </Button>
          <Button
            size="compact-xs"
            variant="default"
            disabled={rows.length === 0}
            onClick={() => downloadText(fileNameFor(title, 'csv'), rowsToCsv(rows), 'text/csv')}
            data-testid="export-csv"
          >
            CSV
          </Button>
        </Group>
      </Group>
      {hasChart ? (
        <div ref={holder} className="chart" data-testid="chart" style={{ overflowX: 'auto' }} />
      ) : (
        <Text c="dimmed" size="sm" py="lg" ta="center">
          {empty ?? 'Nothing to chart yet.'}
        </Text>
      )}
      {children}
    </Paper>
  )
}
