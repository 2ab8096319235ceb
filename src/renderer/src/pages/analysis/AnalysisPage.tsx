import { Anchor, Button, Group, Loader, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core'
import { useEffect, useMemo, useState } from 'react'
import type { GroupComparisonResult } from '../../../../shared/index.js'
import { EmptyState } from '../../components/EmptyState.js'
import { notifyError } from '../../components/notify.js'
import { PageHeader } from '../../components/PageHeader.js'
import { useHost } from '../../hostContext.js'
import { formatNumber, formatP, matrixRows, seriesRows, type MatrixRow, type TurnRow } from '../../results/chartRows.js'
import { errorMessage } from '../../results/hostSupport.js'
import { formatBytes } from '../../results/throughput.js'
import { ChartCard } from './ChartCard.js'
import { drawBars, drawLabelByTurn, drawMatrix, type BarRow } from './charts.js'

type CommentGroupBy = 'none' | 'condition' | 'role' | 'model'
type Test = 'anova' | 'kruskal-wallis'

interface Workspace {
  labels: string[]
  conditionKeys: { key: string; values: string[] }[]
  discussions: number
}

/** Results as loaded: null while loading, a message when the host refused. */
type Result<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; message: string }

function useResult<T>(load: (() => Promise<T>) | null, deps: unknown[]): Result<T> {
  const [result, setResult] = useState<Result<T>>({ state: 'loading' })
  useEffect(() => {
    if (load === null) return
    let cancelled = false
    setResult({ state: 'loading' })
    load().then(
      (value) => !cancelled && setResult({ state: 'ready', value }),
      (error: unknown) => !cancelled && setResult({ state: 'failed', message: errorMessage(error) })
    )
    return () => {
      cancelled = true
    }
  }, deps)
  return result
}

export function AnalysisPage() {
  const host = useHost()
  const [workspace, setWorkspace] = useState<Workspace | null>(null)
  const [label, setLabel] = useState<string | null>(null)
  const [groupBy, setGroupBy] = useState<CommentGroupBy>('none')
  const [conditionKey, setConditionKey] = useState<string | null>(null)
  const [test, setTest] = useState<Test>('anova')
  const [version, setVersion] = useState(0)

  useEffect(() => host.subscribe('workspace.changed', { onEvent: () => setVersion((value) => value + 1) }), [host])
  useEffect(() => {
    host.api['discussions.search']({ limit: 0 }).then(
      (result) => {
        setWorkspace({ labels: result.labels, conditionKeys: result.conditionKeys, discussions: result.total })
        setLabel((current) => current ?? result.labels[0] ?? null)
        // A key that varies is the useful default: one with a single level has nothing to compare.
        setConditionKey((current) => current ?? (result.conditionKeys.find((entry) => entry.values.length > 1) ?? result.conditionKeys[0])?.key ?? null)
      },
      (error: unknown) => {
        setWorkspace({ labels: [], conditionKeys: [], discussions: 0 })
        notifyError('Could not read the workspace for analysis', error)
      }
    )
  }, [host, version])

  const grouping: Grouping = groupBy === 'condition' ? (conditionKey === null ? { groupBy: 'none' } : { groupBy, conditionKey }) : { groupBy }
  const discussionGrouping: DiscussionGrouping =
    grouping.groupBy === 'role' ? { groupBy: 'none' } : grouping.groupBy === 'condition' ? { groupBy: 'condition', conditionKey: grouping.conditionKey ?? '' } : { groupBy: grouping.groupBy }
  const key = JSON.stringify([grouping, test, version])

  if (workspace === null) return <Loader size="sm" />
  return (
    <>
      <PageHeader title="Analysis" description="Charts of the workspace's discussions and annotations. Every chart exports as SVG, PNG and the CSV of its data." />
      {workspace.discussions === 0 ? (
        <EmptyState title="Nothing to analyse yet" action={<Anchor href="#/runs">Go to Runs</Anchor>}>
          Analyses need discussions: run a design, or import SDF output. Label charts also need annotations (Annotation page).
        </EmptyState>
      ) : (
        <Stack gap="md">
          <Paper withBorder p="sm">
            <Group align="flex-end" gap="sm">
              <Select label="Label" data={workspace.labels} value={label} onChange={setLabel} placeholder={workspace.labels.length === 0 ? 'no annotations yet' : 'choose'} disabled={workspace.labels.length === 0} w={200} data-testid="analysis-label" />
              <div>
                <Text size="sm" fw={500} mb={2}>
                  Split by
                </Text>
                <SegmentedControl
                  value={groupBy}
                  onChange={(value) => setGroupBy(value as CommentGroupBy)}
                  data={[
                    { value: 'none', label: 'nothing' },
                    { value: 'condition', label: 'condition', disabled: workspace.conditionKeys.length === 0 },
                    { value: 'role', label: 'role' },
                    { value: 'model', label: 'model' }
                  ]}
                  data-testid="analysis-group-by"
                />
              </div>
              {groupBy === 'condition' && <Select label="Condition" data={workspace.conditionKeys.map((entry) => entry.key)} value={conditionKey} onChange={setConditionKey} w={200} />}
              <Select label="Test" data={[{ value: 'anova', label: 'ANOVA + Welch t' }, { value: 'kruskal-wallis', label: 'Kruskal-Wallis + Dunn' }]} value={test} onChange={(value) => setTest((value as Test | null) ?? 'anova')} w={210} />
            </Group>
          </Paper>
          {label === null ? (
            <Paper withBorder p="sm">
              <EmptyState title="No labels yet" action={<Anchor href="#/annotate">Annotate discussions</Anchor>}>
                Label charts, condition comparisons and agreement need annotations. Run an LLM annotator or label comments yourself on the Annotation page.
              </EmptyState>
            </Paper>
          ) : (
            <>
              <LabelByTurnChart label={label} grouping={grouping} depKey={key} />
              <SimpleGrid cols={{ base: 1, lg: 2 }}>
                <CompareChart label={label} grouping={grouping} test={test} depKey={key} />
                <AgreementChart label={label} depKey={String(version)} />
              </SimpleGrid>
            </>
          )}
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <RateChart method="analysis.participation" title="Participation rate" yLabel="user turns with a comment" grouping={discussionGrouping} test={test} depKey={key} />
            <RateChart method="analysis.moderation" title="Moderation rate" yLabel="moderator turns that intervened" grouping={discussionGrouping} test={test} depKey={key} />
            <LengthChart grouping={grouping} test={test} depKey={key} />
            <DiversityChart grouping={discussionGrouping} test={test} depKey={key} />
          </SimpleGrid>
          <ExportTables />
        </Stack>
      )}
    </>
  )
}

type Grouping = { groupBy: CommentGroupBy; conditionKey?: string }
type DiscussionGrouping = { groupBy: 'none' | 'condition' | 'model'; conditionKey?: string }

function failedText(result: Result<unknown>): string | undefined {
  if (result.state === 'loading') return 'Loading…'
  if (result.state === 'failed') return result.message
  return undefined
}

function LabelByTurnChart({ label, grouping, depKey }: { label: string; grouping: Grouping; depKey: string }) {
  const host = useHost()
  const [x, setX] = useState<'index' | 'user_turn'>('index')
  const result = useResult(() => host.api['analysis.labelByTurn']({ label, ...grouping, x }), [host, label, depKey, x])
  const rows: TurnRow[] = useMemo(() => (result.state === 'ready' ? seriesRows(result.value.series) : []), [result])
  const xLabel = x === 'index' ? 'comment position' : 'user turn'
  const draw = useMemo(() => drawLabelByTurn(rows, label, xLabel), [rows, label, xLabel])
  return (
    <ChartCard title={`${label} over turns`} testId="chart-label-by-turn" rows={rows} draw={draw} empty={failedText(result) ?? `No comment has a value for ${label}.`}>
      <SegmentedControl
        size="xs"
        mt="xs"
        value={x}
        onChange={(value) => setX(value as 'index' | 'user_turn')}
        data={[
          { value: 'index', label: 'by comment position' },
          { value: 'user_turn', label: 'by user turn' }
        ]}
      />
    </ChartCard>
  )
}

function TestSummary({ comparison }: { comparison: GroupComparisonResult | null }) {
  if (comparison === null) return <Text size="xs" c="dimmed">One group only: no test.</Text>
  const name = comparison.test === 'anova' ? 'F' : 'H'
  return (
    <Stack gap={4} mt="xs" data-testid="test-result">
      <Text size="sm">
        {comparison.test === 'anova' ? 'ANOVA' : 'Kruskal-Wallis'}: {name}({comparison.df.map((df) => formatNumber(df, 0)).join(', ')}) = {formatNumber(comparison.statistic)}, {formatP(comparison.p)}
      </Text>
      {comparison.posthoc.length > 0 && (
        <Table fz="xs" withRowBorders={false} verticalSpacing={2}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>pair</Table.Th>
              <Table.Th>difference</Table.Th>
              <Table.Th>{comparison.posthoc[0]?.test ?? 'test'}</Table.Th>
              <Table.Th>p (Holm)</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {comparison.posthoc.map((pair) => (
              <Table.Tr key={`${pair.a}|${pair.b}`}>
                <Table.Td>
                  {pair.a} vs {pair.b}
                </Table.Td>
                <Table.Td>{formatNumber(pair.difference)}</Table.Td>
                <Table.Td>{formatNumber(pair.statistic)}</Table.Td>
                <Table.Td fw={pair.pHolm !== null && pair.pHolm < 0.05 ? 700 : undefined}>{formatP(pair.pHolm)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  )
}

function CompareChart({ label, grouping, test, depKey }: { label: string; grouping: Grouping; test: Test; depKey: string }) {
  const host = useHost()
  const result = useResult(() => host.api['analysis.compareGroups']({ label, ...grouping, test }), [host, label, depKey])
  const rows: BarRow[] = useMemo(() => (result.state === 'ready' ? result.value.groups.map((group) => ({ group: group.group, mean: group.mean, lo: group.lo, hi: group.hi, n: group.n, sd: group.sd })) : []), [result])
  const draw = useMemo(() => drawBars(rows, `${label} (mean, 95% CI)`), [rows, label])
  return (
    <ChartCard title={`${label} by group`} testId="chart-compare" rows={rows} draw={draw} empty={failedText(result)}>
      {result.state === 'ready' && <TestSummary comparison={result.value.groups.length > 1 ? result.value : null} />}
    </ChartCard>
  )
}

function AgreementChart({ label, depKey }: { label: string; depKey: string }) {
  const host = useHost()
  const [metric, setMetric] = useState<'alpha' | 'fleiss' | 'ac1' | 'cohen' | 'percent'>('alpha')
  const [level, setLevel] = useState<'nominal' | 'ordinal' | 'interval' | 'ratio'>('nominal')
  const result = useResult(() => host.api['agreement.matrix']({ label, metric, level }), [host, label, metric, level, depKey])
  const rows: MatrixRow[] = useMemo(() => (result.state === 'ready' ? matrixRows(result.value.annotators, result.value.matrix, result.value.shared) : []), [result])
  const draw = useMemo(() => drawMatrix(rows, metric), [rows, metric])
  const overall = result.state === 'ready' ? result.value.overall : null
  return (
    <ChartCard
      title={`Agreement on ${label}`}
      testId="chart-agreement"
      rows={rows}
      draw={draw}
      empty={failedText(result) ?? 'Agreement needs two or more annotators who rated the same comments.'}
    >
      <Group gap="xs" mt="xs" align="flex-end">
        <Select size="xs" label="Coefficient" value={metric} onChange={(value) => value !== null && setMetric(value as typeof metric)} data={['alpha', 'fleiss', 'ac1', 'cohen', 'percent']} w={110} />
        <Select size="xs" label="Level" value={level} onChange={(value) => value !== null && setLevel(value as typeof level)} data={['nominal', 'ordinal', 'interval', 'ratio']} w={110} />
        {overall !== null && (
          <Text size="sm" data-testid="agreement-overall">
            overall {metric} = {formatNumber(overall.value)} [{formatNumber(overall.lo)}, {formatNumber(overall.hi)}] over {overall.units} comments
            {overall.note !== null ? ` — ${overall.note}` : ''}
          </Text>
        )}
      </Group>
    </ChartCard>
  )
}

function RateChart({
  method,
  title,
  yLabel,
  grouping,
  test,
  depKey
}: {
  method: 'analysis.participation' | 'analysis.moderation'
  title: string
  yLabel: string
  grouping: DiscussionGrouping
  test: Test
  depKey: string
}) {
  const host = useHost()
  const result = useResult(() => host.api[method]({ ...grouping, test }), [host, method, depKey])
  const rows: BarRow[] = useMemo(() => (result.state === 'ready' ? result.value.rows : []), [result])
  const draw = useMemo(() => drawBars(rows, yLabel, true), [rows, yLabel])
  return (
    <ChartCard title={title} testId={method === 'analysis.participation' ? 'chart-participation' : 'chart-moderation'} rows={rows} draw={draw} empty={failedText(result) ?? 'No turns of this kind yet.'}>
      {result.state === 'ready' && rows.length > 1 && <TestSummary comparison={result.value.comparison} />}
    </ChartCard>
  )
}

function LengthChart({ grouping, test, depKey }: { grouping: Grouping; test: Test; depKey: string }) {
  const host = useHost()
  const result = useResult(() => host.api['analysis.commentLengths']({ ...grouping, test }), [host, depKey])
  const rows: BarRow[] = useMemo(() => (result.state === 'ready' ? result.value.rows : []), [result])
  const draw = useMemo(() => drawBars(rows, 'words per comment (mean, 95% CI)'), [rows])
  return (
    <ChartCard title="Comment length" testId="chart-lengths" rows={rows} draw={draw} empty={failedText(result) ?? 'No comments yet.'}>
      {result.state === 'ready' && rows.length > 1 && <TestSummary comparison={result.value.comparison} />}
    </ChartCard>
  )
}

function DiversityChart({ grouping, test, depKey }: { grouping: DiscussionGrouping; test: Test; depKey: string }) {
  const host = useHost()
  const result = useResult(() => host.api['analysis.diversity']({ ...grouping, test }), [host, depKey])
  const rows: BarRow[] = useMemo(() => (result.state === 'ready' ? result.value.rows : []), [result])
  const draw = useMemo(() => drawBars(rows, 'diversity (1 − mean ROUGE-L)'), [rows])
  return (
    <ChartCard title="Diversity" testId="chart-diversity" rows={rows} draw={draw} empty={failedText(result) ?? 'Diversity needs discussions with two or more comments.'}>
      {result.state === 'ready' && rows.length > 1 && <TestSummary comparison={result.value.comparison} />}
    </ChartCard>
  )
}

function ExportTables() {
  const host = useHost()
  const [format, setFormat] = useState<'csv' | 'jsonl' | 'parquet'>('csv')
  const [busy, setBusy] = useState(false)
  const [files, setFiles] = useState<{ folder: string; files: { name: string; bytes: number; rows: number | null; url: string | null }[] } | null>(null)
  const run = async () => {
    setBusy(true)
    try {
      setFiles(await host.api['export.tables']({ format }))
    } catch (error) {
      notifyError('Could not export the tables', error)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Paper withBorder p="sm" data-testid="export-tables">
      <Text fw={600} size="sm">
        Export the workspace as tables
      </Text>
      <Text size="xs" c="dimmed" mb={6}>
        Long tables of discussions, comments, participants and annotations, SDF's flat table and a data dictionary, written under exports/ in the
        workspace.
      </Text>
      <Group align="flex-end" gap="sm">
        <Select aria-label="Table format" data={['csv', 'jsonl', 'parquet']} value={format} onChange={(value) => value !== null && setFormat(value as typeof format)} w={160} />
        <Button onClick={() => void run()} loading={busy} data-testid="export-tables-button">
          Export
        </Button>
      </Group>
      {files !== null && (
        <Stack gap={2} mt="xs">
          <Text size="sm">Written to {files.folder} in the workspace:</Text>
          {files.files.map((file) => (
            <Text size="sm" key={file.name}>
              {file.url !== null ? (
                <Anchor href={file.url} download={file.name} data-testid="export-file">
                  {file.name}
                </Anchor>
              ) : (
                file.name
              )}{' '}
              · {formatBytes(file.bytes)}
              {file.rows !== null ? ` · ${file.rows} rows` : ''}
            </Text>
          ))}
        </Stack>
      )}
    </Paper>
  )
}
