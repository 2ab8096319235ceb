import { useMantineColorScheme, type MantineColorScheme } from '@mantine/core'
import { useEffect } from 'react'
import { useStore } from 'zustand'
import type { AppSettings } from '../../../shared/index.js'
import { useAppStore, useHost } from '../hostContext.js'

/** The settings' theme as Mantine's colour scheme: `system` follows the operating system. */
export function colorSchemeOf(theme: AppSettings['theme']): MantineColorScheme {
  return theme === 'system' ? 'auto' : theme
}

/**
 * Applies the workspace's stored theme when the app connects and whenever the workspace changes;
 * renders nothing. The header's toggle still switches for the session.
 */
export function SettingsTheme() {
  const host = useHost()
  const store = useAppStore()
  const summary = useStore(store, (state) => state.summary)
  const { setColorScheme } = useMantineColorScheme()
  const path = summary.state === 'ready' ? (summary.value?.path ?? null) : null
  useEffect(() => {
    if (path === null) return
    let current = true
    host.api['settings.get']({}).then(
      (settings) => current && setColorScheme(colorSchemeOf(settings.theme)),
      () => undefined
    )
    return () => {
      current = false
    }
  }, [host, path, setColorScheme])
  return null
}
