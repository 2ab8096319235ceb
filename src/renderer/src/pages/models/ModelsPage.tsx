import { Alert, Anchor, Badge, Button, Group, Loader, Modal, NumberInput, Paper, Progress, Select, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core'
import { useCallback, useEffect, useState } from 'react'
import type { ModelDownloadEvent, ModelsListing, ModelsStatus } from '../../../../shared/index.js'
import { EmptyState } from '../../components/EmptyState.js'
import { notifyError, notifySuccess } from '../../components/notify.js'
import { PageHeader } from '../../components/PageHeader.js'
import { useHost } from '../../hostContext.js'
import { gpuFit } from '../../results/gpuFit.js'
import { formatBytes } from '../../results/throughput.js'

type Hardware = { gpu: string | false; gpuDevices: string[]; vram: { totalBytes: number; freeBytes: number }; ram: { totalBytes: number } }

function metadataText(metadata: Record<string, unknown> | null, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = metadata?.[key]
    if (typeof value === 'string' || typeof value === 'number') return String(value)
  }
  return null
}

export function ModelsPage() {
  const host = useHost()
  const [listing, setListing] = useState<ModelsListing | null>(null)
  const [status, setStatus] = useState<ModelsStatus | null>(null)
  const [hardware, setHardware] = useState<Hardware | null>(null)
  const [downloads, setDownloads] = useState<Record<string, ModelDownloadEvent>>({})
  const [loadTarget, setLoadTarget] = useState<string | null>(null)
  const [busy, setBusy] = useState<string | null>(null)

  const reload = useCallback(() => {
    host.api['models.list']({}).then(setListing, (error: unknown) => {
      setListing({ folder: null, models: [] })
      notifyError('Could not list the models folder', error)
    })
    host.api['models.status']({}).then(
      (value) => {
        setStatus(value)
        setDownloads((current) => ({ ...Object.fromEntries(value.downloads.map((download) => [download.downloadId, download])), ...current }))
      },
      () => setStatus(null)
    )
  }, [host])
  useEffect(() => {
    reload()
    host.api['hardware.info']({}).then(setHardware, () => setHardware(null))
    return host.subscribe('model.download', {
      onEvent(event) {
        setDownloads((current) => ({ ...current, [event.downloadId]: event }))
        if (event.state === 'done') {
          notifySuccess('Download finished', event.fileName ?? event.source)
          reload()
        }
        if (event.state === 'failed') notifyError(`Download of ${event.source} failed`, new Error(event.error ?? 'unknown reason'))
      }
    })
  }, [host, reload])

  const act = async (name: string, action: () => Promise<unknown>, failure: string) => {
    setBusy(name)
    try {
      await action()
    } catch (error) {
      notifyError(failure, error)
    } finally {
      setBusy(null)
      reload()
    }
  }

  const loaded = status?.loaded ?? null
  return (
    <>
      <PageHeader
        title="Models"
        description={listing?.folder ? <>GGUF files in {listing.folder}</> : 'The GGUF files this host can load.'}
        actions={
          <Tooltip label="A tiny model with random weights, so you can try every step without a download. It produces meaningless text." multiline w={280}>
            <Button
              variant="light"
              color="grape"
              loading={busy === 'demo'}
              data-testid="make-demo-model"
              onClick={() =>
                void act(
                  'demo',
                  async () => {
                    const made = await host.api['models.makeDemo']({})
                    notifySuccess(made.created ? 'Demo model written' : 'Demo model already there', `${made.fileName}: ${made.notice}`)
                  },
                  'Could not make the demo model'
                )
              }
            >
              Make demo model (meaningless text)
            </Button>
          </Tooltip>
        }
      />
      <Stack gap="md">
        <Paper withBorder p="sm" data-testid="loaded-model">
          <Group justify="space-between">
            <div>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                Loaded model
              </Text>
              {status === null && <Text size="sm">unknown</Text>}
              {status !== null && loaded === null && <Text size="sm">None. Load one below to run discussions and annotators.</Text>}
              {loaded !== null && (
                <Text size="sm">
                  <b>{loaded.fileName}</b> · {loaded.modelName} · {loaded.backend} · {loaded.gpu === false ? 'CPU' : `${loaded.gpu}, ${loaded.gpuLayers} GPU layers`} · context {loaded.contextSize} ×{' '}
                  {loaded.sequences} sequences {loaded.isDemo && <Badge color="grape">demo: meaningless text</Badge>} {loaded.inUse && <Badge color="blue">in use</Badge>}
                </Text>
              )}
            </div>
            {loaded !== null && (
              <Button variant="default" disabled={loaded.inUse} loading={busy === 'unload'} onClick={() => void act('unload', () => host.api['models.unload']({}), 'Could not unload the model')} data-testid="unload-model">
                Unload
              </Button>
            )}
          </Group>
          <Text size="xs" c="dimmed" mt={4} data-testid="hardware">
            {hardware === null
              ? 'Hardware unknown'
              : hardware.gpu === false
                ? `No GPU found: models run on the CPU (${formatBytes(hardware.ram.totalBytes)} RAM)`
                : `${hardware.gpu} · ${hardware.gpuDevices.join(', ') || 'GPU'} · ${formatBytes(hardware.vram.freeBytes)} of ${formatBytes(hardware.vram.totalBytes)} VRAM free`}
          </Text>
        </Paper>
        <DownloadForm downloads={downloads} />
        {listing === null && <Loader size="sm" />}
        {listing !== null && listing.models.length === 0 && (
          <EmptyState title="No models in the folder" action={<Anchor href="#/models" onClick={(event) => event.preventDefault()}>Download one above, or make the demo model</Anchor>}>
            {listing.folder === null
              ? 'This host has no models folder. On the desktop, choose one in Settings; sdf serve takes --models DIR.'
              : `Put GGUF files in ${listing.folder}, download one from a URL or hf: URI above, or make the demo model to try the app with no download.`}
          </EmptyState>
        )}
        {listing !== null && listing.models.length > 0 && (
          <Table striped data-testid="models-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>File</Table.Th>
                <Table.Th>Architecture</Table.Th>
                <Table.Th>Quant</Table.Th>
                <Table.Th>Layers</Table.Th>
                <Table.Th>Size</Table.Th>
                <Table.Th>Context</Table.Th>
                <Table.Th>GPU fit</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {listing.models.map((model) => {
                const fit = gpuFit(model.sizeBytes, hardware)
                const architecture = metadataText(model.metadata, 'architecture')
                const isLoaded = loaded?.fileName === model.fileName
                return (
                  <Table.Tr key={model.fileName} data-testid="model-row" data-file={model.fileName}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {model.fileName} {isLoaded && <Badge size="xs">loaded</Badge>} {/demo|test/i.test(model.fileName) && <Badge size="xs" color="grape">meaningless text</Badge>}
                      </Text>
                      {model.error !== null && (
                        <Text size="xs" c="red">
                          {model.error.message}
                        </Text>
                      )}
                      {metadataText(model.metadata, 'name', 'general.name') !== null && (
                        <Text size="xs" c="dimmed">
                          {metadataText(model.metadata, 'name', 'general.name')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {architecture ?? '—'}
                      {metadataText(model.metadata, 'sizeLabel') !== null ? ` ${metadataText(model.metadata, 'sizeLabel')}` : ''}
                    </Table.Td>
                    <Table.Td>{metadataText(model.metadata, 'quantization') ?? '—'}</Table.Td>
                    <Table.Td>{metadataText(model.metadata, 'layerCount') ?? '—'}</Table.Td>
                    <Table.Td>{formatBytes(model.sizeBytes)}</Table.Td>
                    <Table.Td>{metadataText(model.metadata, 'trainedContextLength') ?? '—'}</Table.Td>
                    <Table.Td>
                      <Tooltip label={fit.note}>
                        <Badge color={fit.kind === 'fits' ? 'green' : fit.kind === 'partial' ? 'yellow' : 'gray'} variant="light">
                          {fit.kind === 'fits' ? 'fits GPU' : fit.kind === 'partial' ? `~${Math.floor(fit.fraction * 100)}% on GPU` : fit.kind === 'cpu' ? 'CPU' : '?'}
                        </Badge>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>
                      <Button size="xs" variant="default" disabled={model.error !== null || isLoaded || (loaded?.inUse ?? false)} onClick={() => setLoadTarget(model.fileName)} data-testid="load-model">
                        Load…
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                )
              })}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
      <LoadDialog
        fileName={loadTarget}
        onClose={() => setLoadTarget(null)}
        onLoad={(gpuLayers, contextSize) => {
          const fileName = loadTarget
          setLoadTarget(null)
          if (fileName === null) return
          void act(
            'load',
            async () => {
              await host.api['models.load']({ fileName, gpuLayers, ...(contextSize === null ? {} : { contextSize }) })
              notifySuccess('Model loaded', fileName)
            },
            `Could not load ${fileName}`
          )
        }}
      />
      {busy === 'load' && (
        <Alert mt="md" color="blue" title="Loading the model…">
          Large models take a while to read and place on the GPU.
        </Alert>
      )}
    </>
  )
}

function LoadDialog({ fileName, onClose, onLoad }: { fileName: string | null; onClose: () => void; onLoad: (gpuLayers: number | 'auto', contextSize: number | null) => void }) {
  const [layersMode, setLayersMode] = useState<string>('auto')
  const [layers, setLayers] = useState<number>(0)
  const [context, setContext] = useState<number | ''>(4096)
  return (
    <Modal opened={fileName !== null} onClose={onClose} title={`Load ${fileName ?? ''}`}>
      <Stack>
        <Select
          label="GPU layers"
          data={[
            { value: 'auto', label: 'auto: as many as fit' },
            { value: 'number', label: 'a number of layers (0 = CPU only)' }
          ]}
          value={layersMode}
          onChange={(value) => setLayersMode(value ?? 'auto')}
        />
        {layersMode === 'number' && <NumberInput label="Layers on the GPU" min={0} max={10_000} value={layers} onChange={(value) => setLayers(typeof value === 'number' ? value : 0)} />}
        <NumberInput label="Context size (tokens per sequence)" min={128} max={1_048_576} step={1024} value={context} onChange={(value) => setContext(typeof value === 'number' ? value : '')} />
        <Button onClick={() => onLoad(layersMode === 'auto' ? 'auto' : layers, context === '' ? null : context)} data-testid="confirm-load">
          Load
        </Button>
      </Stack>
    </Modal>
  )
}

function DownloadForm({ downloads }: { downloads: Record<string, ModelDownloadEvent> }) {
  const host = useHost()
  const [source, setSource] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [starting, setStarting] = useState(false)
  const valid = /^https:\/\/\S+$/.test(source.trim()) || /^hf:[^/\s]+\/[^\s]+$/.test(source.trim())
  const start = async () => {
    if (!valid) {
      setError('Give an https:// link to a .gguf file, or hf:<user>/<repo>/<file>.gguf')
      return
    }
    setError(null)
    setStarting(true)
    try {
      await host.api['models.download']({ source: source.trim() })
      setSource('')
    } catch (failure) {
      notifyError('Could not start the download', failure)
    } finally {
      setStarting(false)
    }
  }
  const list = Object.values(downloads)
  return (
    <Paper withBorder p="sm">
      <Group align="flex-start" gap="sm">
        <TextInput
          label="Download a model"
          placeholder="https://…/model.gguf or hf:user/repo/file.gguf"
          value={source}
          onChange={(event) => setSource(event.currentTarget.value)}
          onKeyDown={(event) => event.key === 'Enter' && void start()}
          error={error}
          style={{ flex: 1 }}
          data-testid="download-source"
        />
        <Button mt={25} onClick={() => void start()} loading={starting} data-testid="download-start">
          Download
        </Button>
      </Group>
      {list.map((download) => (
        <div key={download.downloadId} data-testid="download" data-state={download.state}>
          <Text size="xs" mt="xs">
            {download.fileName ?? download.source} · {formatBytes(download.receivedBytes)}
            {download.totalBytes !== null ? ` of ${formatBytes(download.totalBytes)}` : ''} · {download.state}
            {download.error !== null ? `: ${download.error}` : ''}
          </Text>
          <Progress
            value={download.totalBytes ? (download.receivedBytes / download.totalBytes) * 100 : download.state === 'done' ? 100 : 0}
            animated={download.state === 'running'}
            color={download.state === 'failed' ? 'red' : download.state === 'done' ? 'green' : 'blue'}
          />
        </div>
      ))}
    </Paper>
  )
}
