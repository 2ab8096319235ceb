import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

// Three bundles (see docs/../toolchain notes):
// - main: src/main/index.ts → out/main/index.js, and the worker threads it starts:
//   src/main/inference/inferenceWorker.ts → out/main/inferenceWorker.js and src/core/export/exportWorker.ts →
//   out/main/exportWorker.js (the export's worker pool looks for it there), ESM (package.json has "type": "module").
//   Dependencies stay external (electron-vite's default), so node-llama-cpp is imported from node_modules at run time.
// - preload: src/preload/index.ts → out/preload/index.cjs, CommonJS, one self-contained file: the window is
//   sandboxed, and a sandboxed preload can neither be an ES module nor require anything but `electron`.
// - renderer: src/renderer/index.html → out/renderer, with React.
export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          inferenceWorker: resolve('src/main/inference/inferenceWorker.ts'),
          exportWorker: resolve('src/core/export/exportWorker.ts')
        },
        output: { format: 'es', entryFileNames: '[name].js' }
      }
    }
  },
  preload: {
    build: {
      externalizeDeps: false,
      rolldownOptions: {
        input: resolve('src/preload/index.ts'),
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false }
      }
    }
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      rolldownOptions: { input: resolve('src/renderer/index.html') }
    },
    plugins: [react()]
  }
})
