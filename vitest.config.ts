import { defineConfig } from 'vitest/config'

// Two projects, as node-llama-cpp splits its own suite: `unit` needs no model; `model` loads the
// generated GGUF files and runs in one worker so model tests never fight over the two cores.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000
        }
      },
      {
        test: {
          name: 'model',
          include: ['test/model/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000
        }
      },
      {
        // `npm run test:faults`: kills, full disks, torn journals, failing backends and endpoints.
        // Child processes and the tiny model, so one file at a time, like `model`.
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 120_000
        }
      }
    ]
  }
})
