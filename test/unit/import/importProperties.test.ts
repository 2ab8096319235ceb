import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  AnnotationSchema,
  DiscussionConfigSchema,
  DiscussionSchema,
  ImportedSettingsSchema,
  importIntoWorkspace,
  InstructionSchema,
  PersonaSchema,
  TopicSchema,
  Workspace
} from '../../../src/core/index.js'
import { tempDir } from '../../helpers/tempDir.js'

const schemaOfFolder = {
  personas: PersonaSchema,
  topics: TopicSchema,
  instructions: InstructionSchema,
  configs: DiscussionConfigSchema,
  settings: ImportedSettingsSchema,
  discussions: DiscussionSchema
} as const

/** Every file in the workspace is complete and valid: no temp files, no torn or invalid records. */
async function expectWorkspaceIntact(root: string): Promise<void> {
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    const folder = entry.parentPath.slice(root.length + 1).split('/')[0] ?? ''
    expect(entry.name, `stray file ${path}`).toMatch(/\.(json|jsonl)$/)
    const text = await readFile(path, 'utf8')
    if (entry.name.endsWith('.jsonl')) {
      expect(text.endsWith('\n')).toBe(true)
      for (const line of text.trimEnd().split('\n')) AnnotationSchema.parse(JSON.parse(line))
    } else if (folder in schemaOfFolder) {
      schemaOfFolder[folder as keyof typeof schemaOfFolder].parse(JSON.parse(text))
    } else {
      JSON.parse(text)
    }
  }
}

const fileNames = fc.constantFrom('input.json', 'topics/t.txt', 'data.yml', 'discussions_output/x/24-11-15-12-43.json')

describe('the importer, given arbitrary input', () => {
  it('never throws, reports each rejected file, and writes only complete, valid records', async () => {
    const workspace = await Workspace.create(await tempDir())
    await fc.assert(
      fc.asyncProperty(
        fileNames,
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
          fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
          fc.string({ maxLength: 200 }).map((text) => Buffer.from(text))
        ),
        async (name, content) => {
          const input = await tempDir()
          const path = join(input, name)
          await mkdir(join(path, '..'), { recursive: true })
          await writeFile(path, content)
          const report = await importIntoWorkspace(workspace, [input])
          // A file is either accepted or reported once, with a reason that says something.
          expect(report.errors.length).toBeLessThanOrEqual(1)
          for (const error of report.errors) {
            expect(error.file).toBe(path)
            expect(error.message.length).toBeGreaterThan(5)
          }
        }
      ),
      { numRuns: 150 }
    )
    await expectWorkspaceIntact(workspace.root)
  })

  it('never throws on mutated SDF conversations, and keeps every stored record valid', async () => {
    const workspace = await Workspace.create(await tempDir())
    const conversation = {
      id: 'c0ffee00-0000-4000-8000-000000000000',
      timestamp: '24-11-15-12-43',
      users: ['alice', 'bob'],
      user_types: ['str', 'str'],
      moderator: 'moderator',
      moderator_type: 'LLMUser',
      user_prompts: ['You are alice 29 years old. Context: c. Your instructions: i.', 'You are bob. Context: c. Your instructions: i.'],
      moderator_prompt: 'You are moderator just, strict, understanding. Context: c. Your instructions: m.',
      ctx_length: 2,
      logs: [
        ['alice', 'hello'],
        ['moderator', ''],
        ['bob', 'hi']
      ]
    }
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(conversation)),
        fc.jsonValue(),
        async (key, value) => {
          const input = await tempDir()
          await writeFile(join(input, 'conversation.json'), JSON.stringify({ ...conversation, id: `mut-${Math.random().toString(16).slice(2)}`, [key]: value }))
          const report = await importIntoWorkspace(workspace, [input])
          expect(report.discussions + report.errors.length).toBe(1)
        }
      ),
      { numRuns: 150 }
    )
    await expectWorkspaceIntact(workspace.root)
  })
})
