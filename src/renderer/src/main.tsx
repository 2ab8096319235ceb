import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { pickClient } from './apiClient.js'
import { App } from './App.js'
import { createAppStore } from './appStore.js'
import './app.css'

const container = document.getElementById('root')
if (container === null) {
  throw new Error('index.html has no #root element')
}
const store = createAppStore(pickClient(window.sdf))
createRoot(container).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>
)
