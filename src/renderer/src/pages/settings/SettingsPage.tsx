import { zodResolver } from '@hookform/resolvers/zod'
import { Alert, Button, Group, Loader, NumberInput, Paper, SegmentedControl, Select, Stack, Text } from '@mantine/core'
import { useMantineColorScheme } from '@mantine/core'
import { useEffect, useState } from 'react'
import { Controller, useForm } from 'react-hook-form'
import type { z } from 'zod'
import { AppSettingsSchema, type AppSettings } from '../../../../shared/index.js'
import { applyApiIssues, formFieldPath } from '../../components/apiIssues.js'
import { notifyError, notifySuccess } from '../../components/notify.js'
import { PageHeader } from '../../components/PageHeader.js'
import { colorSchemeOf } from '../../components/SettingsTheme.js'
import { useHost } from '../../hostContext.js'

type SettingsInput = z.input<typeof AppSettingsSchema>

/** The workspace's app settings (`settings.get`/`settings.put`), checked with the contract's own schema. */
export function SettingsPage() {
  const host = useHost()
  const { setColorScheme } = useMantineColorScheme()
  const [loaded, setLoaded] = useState<AppSettings | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  const [models, setModels] = useState<string[]>([])
  const form = useForm<SettingsInput, unknown, AppSettings>({ resolver: zodResolver(AppSettingsSchema), mode: 'onChange' })
  const { control, handleSubmit, formState, reset, setError } = form

  useEffect(() => {
    host.api['settings.get']({}).then(
      (settings) => {
        setLoaded(settings)
        reset(settings)
      },
      (error: unknown) => setFailure(error instanceof Error ? error.message : String(error))
    )
    host.api['models.list']({}).then(
      (listing) => setModels(listing.models.filter((model) => model.error === null).map((model) => model.fileName)),
      () => setModels([])
    )
  }, [host, reset])

  const submit = handleSubmit(async (settings) => {
    try {
      const stored = await host.api['settings.put']({ settings })
      setColorScheme(colorSchemeOf(stored.theme))
      setLoaded(stored)
      reset(stored)
      notifySuccess('Settings saved')
    } catch (error) {
      if (!applyApiIssues(error, setError, (path) => formFieldPath(path) as keyof SettingsInput)) notifyError('Could not save the settings', error)
    }
  })

  return (
    <>
      <PageHeader title="Settings" description="Stored in the workspace (sdf-settings.json), so they travel with it." />
      {failure !== null && (
        <Alert color="yellow" data-testid="settings-unavailable">
          Settings are unavailable: {failure}
        </Alert>
      )}
      {loaded === null && failure === null && <Loader size="sm" />}
      {loaded !== null && (
        <form onSubmit={submit} noValidate aria-label="Settings" data-testid="settings-form">
          <Paper withBorder p="md" maw={640}>
            <Stack gap="md">
              <Controller
                control={control}
                name="theme"
                render={({ field }) => (
                  <Stack gap={4}>
                    <Text size="sm" fw={500}>
                      Theme
                    </Text>
                    <SegmentedControl
                      value={field.value ?? 'system'}
                      onChange={(value) => {
                        field.onChange(value)
                        // Shown at once; kept when saved.
                        setColorScheme(colorSchemeOf(value as AppSettings['theme']))
                      }}
                      data={[
                        { value: 'light', label: 'Light' },
                        { value: 'dark', label: 'Dark' },
                        { value: 'system', label: 'System' }
                      ]}
                      aria-label="Theme"
                      data-testid="settings-theme"
                      w="fit-content"
                    />
                  </Stack>
                )}
              />
              <Controller
                control={control}
                name="concurrency"
                render={({ field, fieldState }) => (
                  <NumberInput
                    label="Discussions at a time"
                    description="How many discussions a run generates in parallel (1–64); more needs more memory for the model's context."
                    min={1}
                    max={64}
                    allowDecimal={false}
                    value={field.value ?? 1}
                    onChange={(value) => field.onChange(value === '' ? Number.NaN : Number(value))}
                    onBlur={field.onBlur}
                    error={fieldState.error?.message}
                    w={420}
                    data-testid="settings-concurrency"
                  />
                )}
              />
              <Controller
                control={control}
                name="defaultModel"
                render={({ field, fieldState }) => (
                  <Select
                    label="Default model"
                    description={models.length === 0 ? 'No GGUF files in the models folder yet (see Models).' : 'Used by new designs.'}
                    placeholder="None"
                    data={[...new Set([...(field.value ? [field.value] : []), ...models])]}
                    value={field.value ?? null}
                    onChange={(value) => field.onChange(value)}
                    clearable
                    searchable
                    error={fieldState.error?.message}
                    w={420}
                    data-testid="settings-default-model"
                  />
                )}
              />
              <Group justify="flex-end">
                <Button variant="default" disabled={!formState.isDirty} onClick={() => reset(loaded)}>
                  Revert
                </Button>
                <Button type="submit" loading={formState.isSubmitting} disabled={!formState.isDirty} data-testid="settings-save">
                  Save
                </Button>
              </Group>
            </Stack>
          </Paper>
        </form>
      )}
    </>
  )
}
