import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ANNOTATIONS_FOLDER, COLLECTION_FOLDERS, Workspace } from '../../src/core/index.js'

export interface SyntheticWorkspaceOptions {
  discussions: number
  commentsPerDiscussion: number
  annotators: number
  seed: number
}

export interface SyntheticWorkspaceSummary {
  discussions: number
  comments: number
  annotations: number
  bytes: number
}

const STRATEGIES = ['no_moderator', 'rules', 'facilitation'] as const
const MODELS = ['llama-8b', 'qwen-7b', 'mistral-7b'] as const
const USERS = 6
const WRITE_CONCURRENCY = 32

/**
 * Writes a workspace of synthetic discussions straight into the folder layout
 * (discussions/<id>.json, annotations/<id>.jsonl), far faster than going through the import or
 * the runner. The shape follows SDF's 2025 experiments: a seed comment, users taking turns, a
 * moderator every third turn in moderated conditions, a troll in every other discussion, some
 * silent turns, and every comment labelled by each LLM annotator (toxicity and argument quality).
 */
export async function writeSyntheticWorkspace(folder: string, options: SyntheticWorkspaceOptions): Promise<SyntheticWorkspaceSummary> {
  await Workspace.create(folder)
  const random = mulberry32(options.seed)
  const vocabulary = makeVocabulary(random, 3000)
  const prompt =
    'You are an annotator. Rate the toxicity of the last comment from 1 (not toxic) to 5 (extremely toxic) and its ' +
    'argument quality from 1 to 5. Answer with two lines, Toxicity=<number> and ArgumentQuality=<number>. '.repeat(2)
  const summary: SyntheticWorkspaceSummary = { discussions: 0, comments: 0, annotations: 0, bytes: 0 }
  const pending = new Set<Promise<void>>()
  for (let d = 0; d < options.discussions; d++) {
    const { discussion, annotations } = makeDiscussion(d, options, random, vocabulary, prompt)
    const discussionText = `${JSON.stringify(discussion, null, 2)}\n`
    const annotationText = annotations.map((annotation) => JSON.stringify(annotation)).join('\n') + '\n'
    summary.discussions += 1
    summary.comments += discussion.comments.length
    summary.annotations += annotations.length
    summary.bytes += Buffer.byteLength(discussionText) + Buffer.byteLength(annotationText)
    const write = Promise.all([
      writeFile(join(folder, COLLECTION_FOLDERS.discussions, `${discussion.id}.json`), discussionText),
      writeFile(join(folder, ANNOTATIONS_FOLDER, `${discussion.id}.jsonl`), annotationText)
    ]).then(() => {
      pending.delete(write)
    })
    pending.add(write)
    if (pending.size >= WRITE_CONCURRENCY) await Promise.race(pending)
  }
  await Promise.all(pending)
  return summary
}

function makeDiscussion(
  d: number,
  options: SyntheticWorkspaceOptions,
  random: () => number,
  vocabulary: readonly string[],
  annotatorPrompt: string
) {
  const id = `bench-${String(d).padStart(6, '0')}`
  const strategy = STRATEGIES[d % STRATEGIES.length]!
  const model = MODELS[Math.floor(d / STRATEGIES.length) % MODELS.length]!
  const hasTroll = d % 2 === 0
  const moderated = strategy !== 'no_moderator'
  const users = Array.from({ length: USERS }, (_, u) => `user_${u}`)
  const participants = users.map((username, u) => ({
    username,
    role: 'user',
    persona: {
      username,
      age: 20 + ((d + u * 7) % 50),
      sex: u % 2 === 0 ? 'female' : 'male',
      sexual_orientation: 'Heterosexual',
      demographic_group: ['White', 'Black', 'Asian', 'Hispanic'][u % 4],
      current_employment: ['Teacher', 'Nurse', 'Engineer', 'Retail Worker'][(u + d) % 4],
      education_level: ['High School', 'Bachelor', 'Master', 'PhD'][u % 4],
      special_instructions:
        hasTroll && u === 0 ? 'You are an online troll and want to derail the conversation, violate the rules and provoke toxicity.' : '',
      personality_characteristics: ['curious', 'stubborn', 'polite'].slice(0, 1 + (u % 3)),
      extra_attributes: { political_leaning: ['left', 'centre', 'right'][u % 3] }
    },
    persona_origin: 'structured',
    system_prompt: null
  }))
  if (moderated) {
    participants.push({
      username: 'moderator',
      role: 'moderator',
      persona: {
        username: 'moderator',
        age: 30,
        sex: 'male',
        sexual_orientation: 'Heterosexual',
        demographic_group: 'White',
        current_employment: 'moderator',
        education_level: 'Master',
        special_instructions: '',
        personality_characteristics: ['fair'],
        extra_attributes: { political_leaning: 'centre' }
      },
      persona_origin: 'structured',
      system_prompt: null
    })
  }
  const words = (count: number): string => {
    const parts: string[] = []
    for (let i = 0; i < count; i++) parts.push(vocabulary[Math.floor(random() ** 2 * vocabulary.length)]!)
    return parts.join(' ')
  }
  const comments = []
  const trollIndices = new Set<number>()
  comments.push({ index: 0, author: 'Topic', role: 'seed', raw_text: `${words(40)}.`, text: `${words(40)}.`, model: 'hardcoded', reply_to: null, seed: null, prompt: null })
  for (let index = 1; index < options.commentsPerDiscussion; index++) {
    const moderatorTurn = moderated && index % 3 === 0
    const author = moderatorTurn ? 'moderator' : users[Math.floor(random() * USERS)]!
    const silent = random() < (moderatorTurn ? 0.4 : 0.1)
    const mention = random() < 0.5 ? `@${users[Math.floor(random() * USERS)]} ` : ''
    const text = silent ? (random() < 0.5 ? '' : '""') : `${mention}${words(10 + Math.floor(random() * 110))}.`
    if (hasTroll && author === 'user_0' && !silent) trollIndices.add(index)
    comments.push({
      index,
      author,
      role: moderatorTurn ? 'moderator' : 'user',
      raw_text: text,
      text,
      model,
      reply_to: index - 1,
      seed: Math.floor(random() * 2 ** 31),
      prompt: null,
      timings: {
        started_at: '2026-01-01T00:00:00.000Z',
        finished_at: '2026-01-01T00:00:02.000Z',
        prompt_tokens: 400 + index * 30,
        reused_prompt_tokens: 300,
        generated_tokens: 80,
        time_to_first_token_ms: 120.5,
        duration_ms: 2000
      }
    })
  }
  const discussion = {
    id,
    timestamp: '26-01-01-00-00',
    status: 'complete',
    participants,
    moderator: moderated ? 'moderator' : null,
    context: 'You are a human participating in an online chatroom.',
    history_ctx_len: 3,
    comments,
    topic_id: null,
    config_id: null,
    run_id: 'bench-run',
    conditions: { strategy, model, conv_variant: strategy },
    extra: {}
  }
  const annotations = []
  for (const comment of comments) {
    for (let a = 0; a < options.annotators; a++) {
      const base = trollIndices.has(comment.index) ? 3 : 1
      const toxicity = Math.min(5, base + Math.floor(random() * 3))
      const quality = 1 + Math.floor(random() * 5)
      annotations.push({
        id: `${id}-${comment.index}-${a}`,
        discussion_id: id,
        comment_index: comment.index,
        position: comment.index,
        quoted_text: null,
        quoted_author: null,
        annotator: {
          name: `annotator-${a}`,
          kind: 'llm',
          model: 'llama-70b',
          prompt: annotatorPrompt,
          persona: { username: 'annotator', age: 25 + a * 10, sex: a % 2 === 0 ? 'female' : 'male', extra_attributes: {} },
          spec_id: null
        },
        values: { toxicity, argument_quality: quality },
        raw_text: `Toxicity=${toxicity}\nArgumentQuality=${quality}`,
        parsed: true,
        created_at: null
      })
    }
  }
  return { discussion, annotations }
}

function makeVocabulary(random: () => number, size: number): string[] {
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'so', 'pe', 'di', 'va', 'the', 'and', 'is', 'to', 'of', 'in']
  const words = new Set<string>()
  while (words.size < size) {
    const length = 1 + Math.floor(random() * 3)
    let word = ''
    for (let i = 0; i < length; i++) word += syllables[Math.floor(random() * syllables.length)]
    words.add(word)
  }
  return [...words]
}

/** A small seeded generator: the benchmark data must be the same on every machine. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
