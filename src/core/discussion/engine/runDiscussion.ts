import { createHash } from 'node:crypto'
import { BackendError, type GenerationRequest, type InferenceBackend } from '../../llm/backend.js'
import { renderAlpacaPrompt } from '../../llm/renderAlpacaPrompt.js'
import { SeededRandom } from '../../random/seededRandom.js'
import { DiscussionSchema, type Comment, type Discussion, type Participant } from '../../schema/discussion.js'
import { cleanOutput } from '../cleanOutput.js'
import { decideModeratorTurn } from '../moderation/decideModeratorTurn.js'
import { MODERATOR_DECISION_CHOICES, moderatorDecisionPrompt, parseModeratorDecision } from '../moderation/moderatorDecisionPrompt.js'
import { historyWindow, seedHistoryEntries, type HistoryEntry } from '../prompts/historyEntry.js'
import type { PromptInput } from '../prompts/promptInput.js'
import { isPythonBlank } from '../prompts/pythonWhitespace.js'
import { renderSpeakerPrompt, type SpeakerPrompt } from '../prompts/renderSpeakerPrompt.js'
import { SDF_SEED_USERNAME } from '../prompts/sdfStrings.js'
import { allowedNextSpeakers } from '../turns/allowedNextSpeakers.js'
import { chooseNextSpeaker } from '../turns/chooseNextSpeaker.js'
import { parseSpeakerChoice, speakerChoicePrompt } from '../turns/speakerChoice.js'
import { initialTurnState, recordTurn, type TurnState } from '../turns/turnState.js'
import type { DiscussionEvent } from './discussionEvent.js'
import { DiscussionPlanSchema, type DiscussionPlan, type DiscussionPlanInput } from './discussionPlan.js'
import type { EngineStep } from './engineStep.js'
import { GENERATION_EXTRA_KEY, generationRecord } from './generationRecord.js'
import { streamGeneration } from './streamGeneration.js'
import type { StepPhase, StepSummary } from './stepSummary.js'

export interface RunDiscussionOptions {
  /**
   * Journaled outcomes of this discussion's first steps, in step order (resume). They are used
   * instead of calling the backend, so the discussion continues from the last completed step with
   * exactly the state it had.
   */
  replay?: readonly EngineStep[]
  /** Aborting cancels the call in flight; the engine then yields `discussion-cancelled` and ends. */
  signal?: AbortSignal
  runId?: string | null
  /** The clock for step timestamps (tests pass a fixed one). */
  now?: () => Date
  /**
   * Send each agent's key (`<discussion id>/<speaker>`) so the backend can keep its evaluated
   * prompt prefix between turns. Default true; false prompts statelessly, as SDF did.
   */
  reuseAgentPrefixes?: boolean
}

/** Tokens allowed for a one-word answer (a yes/no decision, a speaker's name). */
const DECISION_MAX_TOKENS = 16

class Cancelled extends Error {}

class ReplayMismatch extends Error {}

/**
 * Runs one discussion and yields what happens, as it happens (see `DiscussionEventSchema`). The
 * loop is SDF v0's (spec §2.2): seed comments first; `conv_len` user turn ATTEMPTS, each speaker
 * chosen by the turn policy from a stream forked per turn; a blank (cleaned) user reply is neither
 * logged nor archived but counts as a turn; after every non-blank user comment the moderator policy
 * decides, and a moderator reply is logged even when blank (its history slot depends on the
 * policy). Each LLM call draws its seed from the plan seed and the step number.
 *
 * Never throws for a backend failure or a cancelled signal: the last event says how it ended
 * (`discussion-done`, `discussion-cancelled` or `error`). An invalid plan throws before any event.
 * Deterministic: the same plan and the same model replies give the same discussion.
 */
export async function* runDiscussion(
  planInput: DiscussionPlanInput | DiscussionPlan,
  backend: InferenceBackend,
  options: RunDiscussionOptions = {}
): AsyncGenerator<DiscussionEvent, void> {
  const plan = DiscussionPlanSchema.parse(planInput)
  const session = new Session(plan, backend, options)
  try {
    yield* session.run()
  } catch (error) {
    if (error instanceof Cancelled) {
      yield { type: 'discussion-cancelled', discussion_id: plan.id, step: session.step }
      return
    }
    yield {
      type: 'error',
      discussion_id: plan.id,
      step: session.step,
      code: error instanceof BackendError ? error.code : error instanceof ReplayMismatch ? 'replay-mismatch' : null,
      message: error instanceof Error ? error.message : String(error)
    }
  } finally {
    for (const key of session.agentKeys) backend.releaseAgent?.(key)
  }
}

interface CallSpec {
  phase: StepPhase
  turn: number
  speaker: string
  request: Omit<GenerationRequest, 'sampling' | 'agentKey'>
  agentKey: string
  /** Streams tokens and announces the turn (speaking phases only). */
  role: 'user' | 'moderator' | null
}

interface CallOutcome {
  step: EngineStep
  prompt: string
}

class Session {
  readonly agentKeys = new Set<string>()
  step: number
  private readonly comments: Comment[]
  private readonly archive: HistoryEntry[]
  private readonly steps: StepSummary[]
  private turnState: TurnState
  private readonly replay: Map<number, EngineStep>
  private readonly turns: SeededRandom
  private readonly moderation: SeededRandom
  private readonly calls: SeededRandom
  private readonly now: () => Date
  private readonly replaying: boolean
  private lastFinishedAt: string | null = null
  /** Whether the last step came from the journal: events that follow it were already seen once. */
  private lastStepReplayed = false

  constructor(
    private readonly plan: DiscussionPlan,
    private readonly backend: InferenceBackend,
    private readonly options: RunDiscussionOptions
  ) {
    const root = SeededRandom.fromSeed(plan.seed)
    this.turns = root.fork('turns')
    this.moderation = root.fork('moderation')
    this.calls = root.fork('calls')
    this.now = options.now ?? (() => new Date())
    const prefix = plan.prefix
    this.step = prefix?.steps_taken ?? 0
    this.steps = prefix ? structuredClone(prefix.steps) : []
    this.comments = prefix ? structuredClone(prefix.comments) : seedComments(plan)
    this.archive = archiveOf(plan, this.comments)
    this.turnState = { ...initialTurnState(plan.users.map((user) => user.username)), previous: [...(prefix?.previous_speakers ?? [])] }
    this.replay = new Map((options.replay ?? []).map((step) => [step.step, step]))
    this.replaying = this.replay.size > 0
  }

  async *run(): AsyncGenerator<DiscussionEvent, void> {
    const { plan } = this
    for (const comment of this.comments) yield this.commentEvent(comment, this.replaying)

    const prefix = plan.prefix
    const last = this.comments[this.comments.length - 1]
    if (prefix?.pending_moderator_reply && plan.moderator && last && last.role === 'user' && prefix.turns_taken > 0) {
      yield* this.moderatorPhase(prefix.turns_taken - 1, last)
    }

    for (let turn = prefix?.turns_taken ?? 0; turn < plan.conv_len; turn += 1) {
      const speaker = yield* this.chooseSpeaker(turn)
      const prompt = renderSpeakerPrompt(plan.prompt_mode, this.promptInput(speaker, 'user'))
      const outcome = yield* this.call({
        phase: 'user',
        turn,
        speaker,
        role: 'user',
        agentKey: `${plan.id}/${speaker}`,
        request: this.speakingRequest(prompt)
      }, promptText(prompt))
      this.turnState = recordTurn(this.turnState, speaker)
      const cleaned = cleanOutput(outcome.step.raw_text, speaker, plan.cleaning)
      const replayed = this.wasReplayed(outcome.step)
      if (cleaned.silent) {
        this.summarise(outcome.step, null)
        yield { type: 'silent-turn', discussion_id: plan.id, turn, speaker, replayed }
        continue
      }
      const comment = this.addComment(outcome, 'user', cleaned.text, null)
      this.archive.push({ author: speaker, text: cleaned.text })
      yield this.commentEvent(comment, replayed)
      if (plan.moderator) yield* this.moderatorPhase(turn, comment)
    }

    const unused = [...this.replay.keys()].filter((step) => step >= this.step)
    if (unused.length > 0) {
      throw new ReplayMismatch(
        `the journal holds ${unused.length} step(s) after the discussion's last step ${this.step - 1}; it belongs to another plan`
      )
    }
    yield { type: 'discussion-done', discussion_id: plan.id, discussion: this.discussion() }
  }

  private async *chooseSpeaker(turn: number): AsyncGenerator<DiscussionEvent, string> {
    const { plan } = this
    const random = this.turns.fork(turn)
    const policy = plan.turn_policy
    if (policy.kind !== 'llm-chosen') return chooseNextSpeaker(policy, this.turnState, random)
    const candidates = allowedNextSpeakers(policy, this.turnState)
    if (candidates.length === 1) return candidates[0] as string
    const question = speakerChoicePrompt(transcriptOf(this.window()), candidates)
    const messages = [
      { role: 'system' as const, content: 'You decide who writes the next comment in an online discussion.' },
      { role: 'user' as const, content: question }
    ]
    const outcome = yield* this.call({
      phase: 'speaker-choice',
      turn,
      speaker: '',
      role: null,
      agentKey: `${plan.id}/:speaker-choice`,
      request: {
        messages,
        maxTokens: DECISION_MAX_TOKENS,
        promptFormat: 'chat-template',
        jsonSchema: { type: 'string', enum: candidates }
      }
    }, JSON.stringify(messages))
    this.summarise(outcome.step, null)
    // An unusable answer falls back to the policy's own random pick, from the same per-turn stream.
    return parseSpeakerChoice(outcome.step.raw_text, candidates) ?? chooseNextSpeaker(policy, this.turnState, random)
  }

  private async *moderatorPhase(turn: number, userComment: Comment): AsyncGenerator<DiscussionEvent, void> {
    const { plan } = this
    const moderator = plan.moderator
    if (!moderator) return
    const decision = decideModeratorTurn(
      plan.moderator_policy,
      { comment: { author: userComment.author, text: userComment.text }, moderatorName: moderator.name },
      this.moderation.fork(turn)
    )
    if (decision === 'stay-silent') {
      yield { type: 'moderator-silent', discussion_id: plan.id, turn, reason: 'policy', comment_index: null, replayed: this.lastStepReplayed }
      return
    }
    if (decision === 'ask-model') {
      const { system, user } = moderatorDecisionPrompt({
        moderatorName: moderator.name,
        instructions: moderator.instructions,
        transcript: transcriptOf(this.window())
      })
      const messages = [
        { role: 'system' as const, content: system },
        { role: 'user' as const, content: user }
      ]
      const outcome = yield* this.call({
        phase: 'moderator-decision',
        turn,
        speaker: moderator.name,
        role: null,
        agentKey: `${plan.id}/${moderator.name}:decision`,
        request: {
          messages,
          maxTokens: DECISION_MAX_TOKENS,
          promptFormat: 'chat-template',
          jsonSchema: { type: 'string', enum: [...MODERATOR_DECISION_CHOICES] }
        }
      }, JSON.stringify(messages))
      this.summarise(outcome.step, null)
      // An unreadable answer counts as yes: the moderator erring on the side of being present.
      if (parseModeratorDecision(outcome.step.raw_text) === false) {
        const replayed = this.wasReplayed(outcome.step)
        yield { type: 'moderator-silent', discussion_id: plan.id, turn, reason: 'model-declined', comment_index: null, replayed }
        return
      }
    }

    const prompt = renderSpeakerPrompt(plan.prompt_mode, this.promptInput(moderator.name, 'moderator'))
    const outcome = yield* this.call({
      phase: 'moderator',
      turn,
      speaker: moderator.name,
      role: 'moderator',
      agentKey: `${plan.id}/${moderator.name}`,
      request: this.speakingRequest(prompt)
    }, promptText(prompt))
    const cleaned = cleanOutput(outcome.step.raw_text, moderator.name, plan.cleaning)
    // SDF logged blank moderator replies and let them take a history slot (spec §2.2).
    const comment = this.addComment(outcome, 'moderator', cleaned.text, userComment.index)
    if (!cleaned.silent || !plan.moderator_policy.silent_does_not_take_history_slot) {
      this.archive.push({ author: moderator.name, text: cleaned.text })
    }
    const replayed = this.wasReplayed(outcome.step)
    yield this.commentEvent(comment, replayed)
    if (cleaned.silent) {
      yield { type: 'moderator-silent', discussion_id: plan.id, turn, reason: 'blank-reply', comment_index: comment.index, replayed }
    } else {
      yield { type: 'moderator-intervention', discussion_id: plan.id, turn, comment_index: comment.index, replayed }
    }
  }

  /** One LLM call: from the journal when it holds this step, else from the backend. */
  private async *call(spec: CallSpec, prompt: string): AsyncGenerator<DiscussionEvent, CallOutcome> {
    const { plan } = this
    const step = this.step
    const seed = this.callSeed(step)
    const promptSha256 = createHash('sha256').update(prompt, 'utf8').digest('hex')
    const recorded = this.replay.get(step)
    if (recorded) {
      const expected = { turn: spec.turn, phase: spec.phase, speaker: spec.speaker, seed, prompt_sha256: promptSha256 }
      for (const [key, value] of Object.entries(expected)) {
        const actual = recorded[key as keyof typeof expected]
        if (actual !== value) {
          throw new ReplayMismatch(
            `the journal does not match this plan at step ${step}: ${key} is ${JSON.stringify(actual)} in the journal ` +
              `but ${JSON.stringify(value)} here`
          )
        }
      }
      if (spec.role) {
        yield { type: 'turn-started', discussion_id: plan.id, turn: spec.turn, step, speaker: spec.speaker, role: spec.role, replayed: true }
      }
      this.step += 1
      this.lastFinishedAt = recorded.finished_at
      this.lastStepReplayed = true
      yield { type: 'step', discussion_id: plan.id, step: recorded, replayed: true }
      return { step: recorded, prompt }
    }

    const signal = this.options.signal
    if (signal?.aborted) throw new Cancelled()
    if (spec.role) {
      yield { type: 'turn-started', discussion_id: plan.id, turn: spec.turn, step, speaker: spec.speaker, role: spec.role, replayed: false }
    }
    const reuse = this.options.reuseAgentPrefixes ?? true
    if (reuse) this.agentKeys.add(spec.agentKey)
    const request: GenerationRequest = {
      ...spec.request,
      sampling: { ...plan.sampling, seed },
      ...(reuse ? { agentKey: spec.agentKey } : {})
    }
    const startedAt = this.now()
    let result
    try {
      for await (const chunk of streamGeneration(this.backend, request, signal)) {
        if (chunk.kind === 'done') result = chunk.result
        else if (spec.role) yield { type: 'tokens', discussion_id: plan.id, turn: spec.turn, step, text: chunk.text }
      }
    } catch (error) {
      if (error instanceof BackendError && error.code === 'aborted') throw new Cancelled()
      throw error
    }
    if (!result || result.stats.stopReason === 'aborted' || signal?.aborted) throw new Cancelled()
    const engineStep: EngineStep = {
      step,
      turn: spec.turn,
      phase: spec.phase,
      speaker: spec.speaker,
      seed,
      prompt_sha256: promptSha256,
      model: this.backend.modelName,
      raw_text: result.text,
      stats: result.stats,
      started_at: startedAt.toISOString(),
      finished_at: this.now().toISOString()
    }
    this.step += 1
    this.lastFinishedAt = engineStep.finished_at
    this.lastStepReplayed = false
    yield { type: 'step', discussion_id: plan.id, step: engineStep, replayed: false }
    return { step: engineStep, prompt }
  }

  private callSeed(step: number): number {
    if (this.plan.call_seeds === 'fixed') return this.plan.seed % 2 ** 32
    return this.calls.fork(step).nextSeed()
  }

  private wasReplayed(step: EngineStep): boolean {
    return this.replay.get(step.step) === step
  }

  private speakingRequest(prompt: SpeakerPrompt): CallSpec['request'] {
    return { messages: prompt.messages, promptFormat: prompt.promptFormat, stop: prompt.stop, maxTokens: this.plan.max_tokens }
  }

  private window(): HistoryEntry[] {
    return historyWindow(this.archive, this.plan.history_ctx_len)
  }

  private promptInput(name: string, role: 'user' | 'moderator', history: readonly HistoryEntry[] = this.window()): PromptInput {
    const { plan } = this
    const common = { name, role, context: plan.context, topic: plan.topic, history }
    if (role === 'moderator') {
      const moderator = plan.moderator as NonNullable<DiscussionPlan['moderator']>
      return { ...common, attributes: moderator.attributes, instructions: moderator.instructions }
    }
    const user = plan.users.find((candidate) => candidate.username === name)
    if (!user) throw new Error(`the turn policy chose "${name}", who is not a user of the discussion`)
    return {
      ...common,
      ...(user.attributes === null ? {} : { attributes: user.attributes }),
      persona: user.persona,
      instructions: plan.user_instructions
    }
  }

  private addComment(outcome: CallOutcome, role: 'user' | 'moderator', text: string, replyTo: number | null): Comment {
    const { step } = outcome
    const { stats } = step
    const comment: Comment = {
      index: this.comments.length,
      author: step.speaker,
      role,
      raw_text: step.raw_text,
      text,
      model: step.model,
      reply_to: replyTo,
      seed: step.seed,
      prompt: outcome.prompt,
      timings: {
        started_at: step.started_at,
        finished_at: step.finished_at,
        prompt_tokens: stats.promptTokens,
        reused_prompt_tokens: stats.reusedPromptTokens,
        generated_tokens: stats.generatedTokens,
        ...(stats.timeToFirstTokenMs === null ? {} : { time_to_first_token_ms: stats.timeToFirstTokenMs }),
        duration_ms: stats.durationMs
      }
    }
    this.comments.push(comment)
    this.summarise(step, comment.index)
    return comment
  }

  private summarise(step: EngineStep, commentIndex: number | null): void {
    this.steps.push({ step: step.step, turn: step.turn, phase: step.phase, speaker: step.speaker, comment_index: commentIndex })
  }

  private commentEvent(comment: Comment, replayed: boolean): DiscussionEvent {
    return { type: 'comment', discussion_id: this.plan.id, comment, replayed }
  }

  private discussion(): Discussion {
    const { plan } = this
    const systemPrompt = (name: string, role: 'user' | 'moderator'): string | null =>
      renderSpeakerPrompt(plan.prompt_mode, this.promptInput(name, role, [])).messages.find((message) => message.role === 'system')
        ?.content ?? null
    const participants: Participant[] = plan.users.map((user) => ({
      username: user.username,
      role: 'user',
      persona: user.persona,
      persona_origin: user.persona_origin,
      system_prompt: systemPrompt(user.username, 'user')
    }))
    if (plan.moderator) {
      participants.push({
        username: plan.moderator.name,
        role: 'moderator',
        persona: { username: plan.moderator.name, personality_characteristics: [...plan.moderator.attributes], extra_attributes: {} },
        persona_origin: 'structured',
        system_prompt: systemPrompt(plan.moderator.name, 'moderator')
      })
    }
    // The end of the last call, not the clock: a replayed discussion must come out identical.
    const finished = this.lastFinishedAt ?? lastFinishedAt(this.comments)
    return DiscussionSchema.parse({
      id: plan.id,
      timestamp: sdfTimestamp(finished ? new Date(finished) : this.now()),
      status: 'complete',
      participants,
      moderator: plan.moderator?.name ?? null,
      context: plan.context,
      history_ctx_len: plan.history_ctx_len,
      comments: this.comments,
      topic_id: plan.topic_id,
      config_id: plan.config_id,
      run_id: this.options.runId ?? null,
      conditions: plan.conditions,
      extra: { [GENERATION_EXTRA_KEY]: generationRecord(plan, this.steps) }
    })
  }
}

/** Seed comments, as SDF v0.1 archived them before the loop (authorless ones as "FirstUser"). */
function seedComments(plan: DiscussionPlan): Comment[] {
  return plan.seed_comments.map((seed, index) => ({
    index,
    author: seed.author ?? SDF_SEED_USERNAME,
    role: 'seed',
    raw_text: seed.text,
    text: seed.text,
    model: null,
    reply_to: null,
    seed: null,
    prompt: null
  }))
}

/**
 * The history archive that `comments` leave behind: seeds, non-blank user comments, and moderator
 * replies (blank ones only when they take a slot).
 */
function archiveOf(plan: DiscussionPlan, comments: readonly Comment[]): HistoryEntry[] {
  const entries: HistoryEntry[] = []
  for (const comment of comments) {
    if (comment.role === 'seed') entries.push(...seedHistoryEntries([{ author: comment.author, text: comment.text }]))
    else if (comment.role === 'user' && !isPythonBlank(comment.text)) entries.push({ author: comment.author, text: comment.text })
    else if (comment.role === 'moderator') {
      if (!isPythonBlank(comment.text) || !plan.moderator_policy.silent_does_not_take_history_slot) {
        entries.push({ author: comment.author, text: comment.text })
      }
    }
  }
  return entries
}

/** The exact text the model read: alpaca text as sent, or the messages for the model's own chat template. */
function promptText(prompt: SpeakerPrompt): string {
  return prompt.promptFormat === 'sdf-alpaca' ? renderAlpacaPrompt(prompt.messages) : JSON.stringify(prompt.messages)
}

/** The visible history as `name: text` lines, blank comments left out (decision prompts). */
function transcriptOf(history: readonly HistoryEntry[]): string {
  return history
    .filter((entry) => !isPythonBlank(entry.text))
    .map((entry) => `${entry.author}: ${entry.text.trim()}`)
    .join('\n')
}

function lastFinishedAt(comments: readonly Comment[]): string | null {
  for (let i = comments.length - 1; i >= 0; i -= 1) {
    const finished = comments[i]?.timings?.finished_at
    if (finished) return finished
  }
  return null
}

/** SynDisco 2.0's `%y-%m-%d-%H-%M-%S`, local time, as SDF's `datetime.now()`. */
export function sdfTimestamp(date: Date): string {
  const two = (value: number): string => String(value).padStart(2, '0')
  return [date.getFullYear() % 100, date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds()]
    .map(two)
    .join('-')
}
