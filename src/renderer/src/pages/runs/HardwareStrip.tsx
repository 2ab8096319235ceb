import { Paper, Progress, Text } from '@mantine/core'
import { useEffect, useState } from 'react'
import { useHost } from '../../hostContext.js'
import { formatBytes } from '../../results/throughput.js'

type Hardware = { gpu: string | false; vram: { totalBytes: number; usedBytes: number }; ram: { totalBytes: number; freeBytes: number } }

/** GPU and VRAM use, read every few seconds while shown. */
export function HardwareStrip() {
  const host = useHost()
  const [hardware, setHardware] = useState<Hardware | null | 'failed'>(null)
  useEffect(() => {
    let stopped = false
    const read = () =>
      host.api['hardware.info']({}).then(
        (info) => !stopped && setHardware(info),
        () => !stopped && setHardware('failed')
      )
    void read()
    const timer = setInterval(() => void read(), 5_000)
    return () => {
      stopped = true
      clearInterval(timer)
    }
  }, [host])
  const used = hardware !== null && hardware !== 'failed' ? hardware.vram.usedBytes : 0
  const total = hardware !== null && hardware !== 'failed' ? hardware.vram.totalBytes : 0
  return (
    <Paper withBorder p="xs" data-testid="run-hardware">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        GPU / VRAM
      </Text>
      {hardware === null && <Text size="sm">…</Text>}
      {hardware === 'failed' && <Text size="sm">unknown</Text>}
      {hardware !== null && hardware !== 'failed' && hardware.gpu === false && (
        <Text size="sm">CPU only · RAM {formatBytes(hardware.ram.totalBytes - hardware.ram.freeBytes)} / {formatBytes(hardware.ram.totalBytes)}</Text>
      )}
      {hardware !== null && hardware !== 'failed' && hardware.gpu !== false && (
        <>
          <Progress value={total === 0 ? 0 : (used / total) * 100} mb={4} color={used / total > 0.9 ? 'red' : 'blue'} />
          <Text size="sm">
            {hardware.gpu}: {formatBytes(used)} / {formatBytes(total)}
          </Text>
        </>
      )}
    </Paper>
  )
}
