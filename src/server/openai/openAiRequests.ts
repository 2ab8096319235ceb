import { z } from 'zod'

/** Only text parts: this server has no vision model to hand images to. */
const ContentPartSchema = z.object({ type: z.literal('text'), text: z.string() })

const MessageSchema = z.object({
  // 'developer' is OpenAI's newer name for 'system'.
  role: z.enum(['system', 'developer', 'user', 'assistant']),
  content: z.union([z.string(), z.array(ContentPartSchema)]).nullish(),
  name: z.string().optional()
})

const ResponseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string().max(64).optional(),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()),
      strict: z.boolean().nullish()
    })
  })
])

const unsupportedUnlessZero = z
  .number()
  .refine((value) => value === 0, { message: 'is not supported by this server (only 0)' })
  .nullish()

/** The fields both endpoints share. Unknown fields are ignored, as OpenAI-compatible servers do. */
const common = {
  model: z.string().min(1),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(5).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  seed: z.number().int().nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(16)]).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  n: z
    .number()
    .int()
    .refine((value) => value === 1, { message: 'only n = 1 is supported' })
    .nullish(),
  response_format: ResponseFormatSchema.nullish(),
  presence_penalty: unsupportedUnlessZero,
  frequency_penalty: unsupportedUnlessZero,
  // llama-server's and vLLM's extras, which the llama.cpp backend understands.
  top_k: z.number().int().min(0).nullish(),
  min_p: z.number().min(0).max(1).nullish(),
  repeat_penalty: z.number().min(0).nullish(),
  repetition_penalty: z.number().min(0).nullish()
}

export const ChatCompletionRequestSchema = z.object({
  ...common,
  messages: z.array(MessageSchema).min(1),
  tools: z.array(z.unknown()).max(0, 'tools are not supported by this server').nullish(),
  logprobs: z.literal(false, 'logprobs are not supported by this server').nullish()
})
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>

export const CompletionRequestSchema = z.object({
  ...common,
  // One prompt per request: a list is accepted only with one entry.
  prompt: z.union([z.string(), z.array(z.string()).length(1, 'only one prompt per request is supported')]),
  echo: z.literal(false, 'echo is not supported by this server').nullish(),
  suffix: z.null('suffix is not supported by this server').optional(),
  logprobs: z.null('logprobs are not supported by this server').optional()
})
export type CompletionRequest = z.infer<typeof CompletionRequestSchema>
