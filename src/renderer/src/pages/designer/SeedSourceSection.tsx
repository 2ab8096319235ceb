import { Anchor, Checkbox, Group, NumberInput, SegmentedControl, Select, SimpleGrid, Switch, Text } from '@mantine/core'
import { useEffect, useState } from 'react'
import { Controller, useWatch, type Control, type FieldErrors } from 'react-hook-form'
import type { CorpusSummary } from '../../../../shared/index.js'
import { useHost } from '../../hostContext.js'
import type { DesignFormValues } from './designForm.js'
import type { SeedSourceForm } from './seedSourceForm.js'

/**
 * The designer's choice of seed comments: the topic's own, or k consecutive comments per
 * discussion sampled from an imported corpus (optionally only flagged ones, cut to a length).
 */
export function SeedSourceSection({ control, errors }: { control: Control<DesignFormValues>; errors: FieldErrors<SeedSourceForm> | undefined }) {
  const host = useHost()
  const [corpora, setCorpora] = useState<CorpusSummary[] | null>(null)
  const source = useWatch({ control, name: 'seedSource' })

  useEffect(() => {
    let current = true
    const load = () =>
      host.api['corpus.list']({}).then(
        (listing) => current && setCorpora(listing.items),
        () => current && setCorpora([])
      )
    void load()
    const unsubscribe = host.subscribe('workspace.changed', { onEvent: () => void load() })
    return () => {
      current = false
      unsubscribe()
    }
  }, [host])

  const chosen = corpora?.find((corpus) => corpus.id === source.corpusId) ?? null
  const hasFlag = chosen === null || chosen.columns.flag !== null

  return (
    <>
      <Controller
        control={control}
        name="seedSource.kind"
        render={({ field }) => (
          <SegmentedControl
            value={field.value}
            onChange={field.onChange}
            data={[
              { value: 'topic', label: "The topic's seed comments" },
              { value: 'corpus', label: 'Sampled from a corpus' }
            ]}
            aria-label="Where seed comments come from"
            data-testid="design-seed-kind"
          />
        )}
      />
      {source.kind === 'corpus' && (
        <>
          <Controller
            control={control}
            name="seedSource.corpusId"
            render={({ field }) => (
              <Select
                label="Corpus"
                placeholder={corpora !== null && corpora.length === 0 ? 'No corpus imported yet' : 'Choose a corpus'}
                description={
                  corpora !== null && corpora.length === 0 ? (
                    <>
                      Import a CSV or JSONL file of comment threads on the <Anchor href="#/corpus" size="xs">Corpora page</Anchor>.
                    </>
                  ) : undefined
                }
                data={(corpora ?? []).map((corpus) => ({
                  value: corpus.id,
                  label: `${corpus.name} (${corpus.counts.conversations} threads, ${corpus.counts.comments} comments)`
                }))}
                value={field.value}
                onChange={field.onChange}
                onBlur={field.onBlur}
                error={errors?.corpusId?.message}
                data-testid="design-seed-corpus"
              />
            )}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <Controller
              control={control}
              name="seedSource.k"
              render={({ field }) => (
                <NumberInput
                  label="Consecutive comments per discussion"
                  value={field.value}
                  onChange={(value) => field.onChange(value === '' ? Number.NaN : Number(value))}
                  onBlur={field.onBlur}
                  min={1}
                  max={50}
                  allowDecimal={false}
                  error={errors?.k?.message}
                  data-testid="design-seed-k"
                />
              )}
            />
            <Controller
              control={control}
              name="seedSource.truncateTo"
              render={({ field }) => (
                <Group gap="xs" align="flex-end" wrap="nowrap">
                  <NumberInput
                    label="Characters kept of each"
                    value={field.value ?? ''}
                    disabled={field.value === null}
                    onChange={(value) => field.onChange(value === '' ? Number.NaN : Number(value))}
                    onBlur={field.onBlur}
                    min={1}
                    allowDecimal={false}
                    error={errors?.truncateTo?.message}
                    style={{ flex: 1 }}
                    data-testid="design-seed-truncate"
                  />
                  <Checkbox
                    label="whole"
                    mb={8}
                    checked={field.value === null}
                    onChange={(event) => field.onChange(event.currentTarget.checked ? null : 500)}
                    data-testid="design-seed-whole"
                  />
                </Group>
              )}
            />
          </SimpleGrid>
          <Controller
            control={control}
            name="seedSource.onlyFlagged"
            render={({ field }) => (
              <Switch
                label={chosen?.columns.flag ? `Only windows ending at a comment marked by "${chosen.columns.flag}"` : 'Only windows ending at a flagged comment'}
                description={hasFlag ? 'The marked comment is never the thread\u2019s first one' : 'This corpus was imported without a flag column'}
                disabled={!hasFlag}
                checked={field.value && hasFlag}
                onChange={(event) => field.onChange(event.currentTarget.checked)}
                data-testid="design-seed-flagged"
              />
            )}
          />
          <Controller
            control={control}
            name="seedSource.assign"
            render={({ field }) => (
              <Select
                label="Who shares a window"
                data={[
                  { value: 'each-discussion', label: 'Every discussion gets its own' },
                  { value: 'each-replicate', label: 'All conditions of a replicate share one (compare on the same thread)' }
                ]}
                value={field.value}
                onChange={(value) => field.onChange(value ?? field.value)}
                allowDeselect={false}
                data-testid="design-seed-assign"
              />
            )}
          />
          <Controller
            control={control}
            name="seedSource.reuse"
            render={({ field }) => (
              <Switch
                label="Reuse windows once every eligible one has been used"
                checked={field.value}
                onChange={(event) => field.onChange(event.currentTarget.checked)}
                data-testid="design-seed-reuse"
              />
            )}
          />
          <Text size="xs" c="dimmed">
            Sampled with the design&apos;s seed: the same design always opens with the same comments, and each discussion records where its seed came from.
          </Text>
        </>
      )}
    </>
  )
}
