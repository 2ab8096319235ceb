import '@mantine/core/styles.css'
import '@mantine/notifications/styles.css'
import '@mantine/dropzone/styles.css'
import './app.css'
import { MantineProvider } from '@mantine/core'
import { Notifications } from '@mantine/notifications'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { pickClient } from './apiClient.js'
import { App } from './App.js'
import { createAppStore } from './appStore.js'
import { StudioProvider } from './hostContext.js'
import { createStreamStore } from './streamStore.js'
import { studioTheme } from './theme.js'

const container = document.getElementById('root')
if (container === null) {
  throw new Error('index.html has no #root element')
}
const host = pickClient(window.sdf, window.location)
const studio = { host, store: createAppStore(host), streams: createStreamStore(host) }
createRoot(container).render(
  <StrictMode>
    <MantineProvider theme={studioTheme} defaultColorScheme="auto">
      <Notifications position="bottom-right" />
      <StudioProvider value={studio}>
        <App />
      </StudioProvider>
    </MantineProvider>
  </StrictMode>
)
