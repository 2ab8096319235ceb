import { describe, expect, it } from 'vitest'
import { PersonaSnapshotSchema, renderPromptPreview, sdfV0Context, type Workspace } from '../../../src/core/index.js'
import { INSTRUCTIONS, PERSONAS, TOPICS } from '../engine/library.js'
import { connectClient, startTestServer } from './serverHarness.js'

async function withLibrary(workspace: Workspace): Promise<void> {
  for (const persona of PERSONAS) await workspace.personas.put(persona)
  for (const topic of TOPICS) await workspace.topics.put(topic)
  for (const instruction of INSTRUCTIONS) await workspace.instructions.put(instruction)
}

describe('prompts.preview: the exact prompt a persona would receive, over the WebSocket', () => {
  it('renders SDF v0 as the engine does: the topic in the context, seed comments as history, the raw alpaca text', async () => {
    const { server, workspace } = await startTestServer()
    await withLibrary(workspace)
    const client = connectClient(server)
    const preview = await client.api['prompts.preview']({ personaId: 'ann', instructionId: 'vanilla', topicId: 'cats', mode: 'sdf-v0' })
    const expected = renderPromptPreview(
      { kind: 'sdf-v0', attribute_style: 'field-value-sex-word', prompt_format: 'sdf-alpaca' },
      {
        name: 'Ann',
        role: 'user',
        persona: PersonaSnapshotSchema.parse(PERSONAS[0]),
        context: sdfV0Context('Cats are better than dogs.'),
        topic: null,
        instructions: 'Write a brief comment.',
        history: [{ author: 'Ann', text: 'Obviously.' }]
      }
    )
    expect(preview).toEqual({
      role: 'user',
      speaker: 'Ann',
      system: expected.system,
      prompt: expected.user,
      rawPrompt: expected.rawPrompt,
      promptFormat: 'sdf-alpaca',
      stop: expected.stop
    })
    expect(preview.rawPrompt).toContain('Cats are better than dogs.')
    expect(preview.rawPrompt).toContain('Write a brief comment.')
    client.close()
  })

  it('shows the chat mode as messages, makes a moderator speak for moderator instructions, and previews unsaved text', async () => {
    const { server, workspace } = await startTestServer()
    await withLibrary(workspace)
    const client = connectClient(server)
    const chat = await client.api['prompts.preview']({ personaId: 'bob', topicId: 'pizza', instructionId: 'vanilla', mode: 'modern' })
    expect(chat.rawPrompt).toBeNull()
    expect(chat.promptFormat).toBe('chat-template')
    expect(`${chat.system}\n${chat.prompt}`).toContain('Pineapple on pizza is a crime.')

    const moderator = await client.api['prompts.preview']({ instructionId: 'rules', topicId: 'pizza', mode: 'sdf-v0' })
    expect(moderator).toMatchObject({ role: 'moderator', speaker: 'moderator' })
    expect(moderator.system).toContain('Enforce the rules.')

    const draft = await client.api['prompts.preview']({ personaId: 'ann', instructionText: 'Draft: be kind.', instructionKind: 'user', mode: 'sdf-v0' })
    expect(draft.system).toContain('Draft: be kind.')
    client.close()
  })

  it('says which record is missing', async () => {
    const { server, workspace } = await startTestServer()
    await withLibrary(workspace)
    const client = connectClient(server)
    const failure = await client.api['prompts.preview']({ personaId: 'nobody', mode: 'sdf-v0' }).catch((error: unknown) => error as { code: string; message: string })
    expect(failure).toMatchObject({ code: 'not-found', message: 'There is no persona "nobody" in this workspace.' })
    client.close()
  })
})
