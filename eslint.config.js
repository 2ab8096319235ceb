// Flat config: typescript-eslint's recommended rules (not type-aware, to stay fast) plus the layer
// boundaries of ARCHITECTURE.md. The folder names the runtime, and this file reads the folder.
import js from '@eslint/js'
import { defineConfig, globalIgnores } from 'eslint/config'
import tseslint from 'typescript-eslint'

/** Our layers, one folder each under src/. These names are reserved: no layer has a subfolder named like one. */
const LAYERS = ['core', 'shared', 'main', 'preload', 'renderer', 'cli', 'server']

/**
 * The allow-matrix. For each layer: which of our layers it may import (besides itself), and which
 * packages it may import, either as an allow-list (`onlyPackages`) or as a deny-list (`denyPackages`).
 * `electron` is denied everywhere except main and preload (a require of it outside Electron tries to
 * download the binary).
 */
const BOUNDARIES = {
  core: {
    layers: [],
    denyPackages: ['electron', 'react', 'react-dom', 'zustand'],
    why: 'src/core is plain Node: no Electron, no UI, and nothing of ours outside core'
  },
  shared: {
    layers: [],
    onlyPackages: ['zod'],
    why: 'src/shared runs in the renderer too: it may import only zod and its own files'
  },
  renderer: {
    layers: ['shared'],
    // The preload's type declarations, never its code.
    preloadTypesOnly: true,
    // UI libraries run in the page; none of them reaches Node or Electron.
    onlyPackages: [
      'react',
      'react-dom',
      'zustand',
      'zod',
      '@mantine/core',
      '@mantine/hooks',
      '@mantine/notifications',
      '@mantine/dropzone',
      '@tanstack/react-table',
      '@tanstack/react-virtual',
      'react-hook-form',
      '@hookform/resolvers',
      '@observablehq/plot',
      'wouter'
    ],
    why: 'src/renderer talks to its host only through src/shared: no core, main, Node or Electron'
  },
  main: {
    layers: ['core', 'shared'],
    denyPackages: [],
    why: 'src/main adapts core to IPC: it may import core and shared, never the renderer or other hosts'
  },
  preload: {
    layers: ['shared'],
    denyPackages: [],
    why: 'src/preload is a sandboxed bridge: shared only, never core, the renderer or other hosts'
  },
  cli: {
    // `sdf serve` starts the web host.
    layers: ['core', 'shared', 'server'],
    denyPackages: ['electron'],
    why: 'src/cli may import core, shared and the web host, never the renderer, main, preload or Electron'
  },
  server: {
    layers: ['core', 'shared'],
    denyPackages: ['electron'],
    why: 'src/server adapts core to HTTP/WebSocket: core and shared only, no renderer, no Electron'
  }
}

const escape = (name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const anyOf = (names) => `(?:${names.map(escape).join('|')})`

/** Matches a relative import that climbs out of the folder into one of the given layers (`../core`, `../../src/core/x.js`). */
function layerImport(layers) {
  return `^(?:\\./)?(?:\\.\\./)+(?:src/)?${anyOf(layers)}(?:/|$)`
}

/** Matches any package import that is not on the list (relative imports never match). */
function packageOutside(allowed) {
  return `^(?!\\.\\.?(?:/|$))(?!${anyOf(allowed)}(?:/|$)).`
}

/** Matches an import of one of the listed packages or its subpaths. */
function packageIn(denied) {
  return `^${anyOf(denied)}(?:/|$)`
}

function restrictionsFor(layer) {
  const rule = BOUNDARIES[layer]
  const forbiddenLayers = LAYERS.filter((other) => other !== layer && !rule.layers.includes(other))
  const patterns = []
  const layerTargets = rule.preloadTypesOnly ? forbiddenLayers.filter((other) => other !== 'preload') : forbiddenLayers
  patterns.push({ regex: layerImport(layerTargets), caseSensitive: true, message: rule.why })
  if (rule.preloadTypesOnly) {
    patterns.push({
      regex: '^(?:\\./)?(?:\\.\\./)+(?:src/)?preload(?:$|/(?!sdfBridge(?:\\.js|\\.d\\.ts)?$))',
      caseSensitive: true,
      message: `${rule.why} (only the preload's sdfBridge.d.ts types)`
    })
  }
  if (rule.onlyPackages) {
    patterns.push({ regex: packageOutside(rule.onlyPackages), caseSensitive: true, message: rule.why })
  } else if (rule.denyPackages.length > 0) {
    patterns.push({ regex: packageIn(rule.denyPackages), caseSensitive: true, message: rule.why })
  }
  return ['error', { patterns }]
}

export default defineConfig(
  globalIgnores(['out/', 'node_modules/', '.gpu/', 'dist/', 'coverage/', '.tmp/', 'test-results/', 'playwright-report/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly'
      }
    }
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  },
  // Outside src/ (tests, scripts, benchmarks, e2e): no `electron` either.
  {
    files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: packageIn(['electron']),
              caseSensitive: true,
              message: 'only src/main and src/preload may import electron'
            }
          ]
        }
      ]
    }
  },
  // One block per layer; later blocks replace the rule above for their folder.
  ...LAYERS.map((layer) => ({
    files: [`src/${layer}/**/*.{ts,tsx,mts,cts,js,mjs,cjs}`],
    rules: { 'no-restricted-imports': restrictionsFor(layer) }
  }))
)
