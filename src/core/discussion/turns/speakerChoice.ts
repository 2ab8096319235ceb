/**
 * The pure half of the `llm-chosen` policy: the question put to the model and the reading of its
 * answer. The engine constrains the answer to `candidates` with a grammar; the parser still accepts
 * loose answers so a backend without grammars works too.
 */
export function speakerChoicePrompt(transcript: string, candidates: readonly string[]): string {
  const history = transcript.trim() === '' ? '(no comments yet)' : transcript
  return (
    `Here is an online discussion so far:\n\n${history}\n\n` +
    `Who should write the next comment? Answer with exactly one name from this list: ${candidates.join(', ')}`
  )
}

const WRAPPING = /^[\s"'`*@“”‘’]+|[\s"'`*.!,:;“”‘’]+$/gu

/** The candidate the answer names, or null when it names none or several. */
export function parseSpeakerChoice(answer: string, candidates: readonly string[]): string | null {
  const bare = answer.replace(WRAPPING, '')
  if (candidates.includes(bare)) return bare
  const folded = candidates.filter((name) => name.toLowerCase() === bare.toLowerCase())
  return folded.length === 1 ? (folded[0] as string) : null
}
