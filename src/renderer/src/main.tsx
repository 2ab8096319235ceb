import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { pickClient } from './apiClient.js'
import { App } from './App.js'
import { createAppStore } from './appStore.js'
import { createStreamStore } from './streamStore.js'
import './app.css'

const container = document.getElementById('root')
if (container === null) {
  throw new Error('index.html has no #root element')
}
const host = pickClient(window.sdf, window.location)
createRoot(container).render(
  <StrictMode>
    <App store={createAppStore(host)} streams={createStreamStore(host)} />
  </StrictMode>
)
