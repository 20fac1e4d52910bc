import type { GeminiFakeBehaviour } from './fake-gemini-behaviour';

/**
 * Contract fixtures: a client request, the exact Gemini request it must become, a Gemini answer
 * shaped as Gemini's API reference documents it, and the exact canonical answer the client must
 * see. Ids the gateway generates are written as ID / CALL_ID and `created` as 0 (normalized).
 */
export interface ChatContractFixture {
  readonly name: string;
  readonly request: Record<string, unknown>;
  readonly upstreamUrl: string;
  readonly upstreamBody: Record<string, unknown>;
  readonly reply: Extract<GeminiFakeBehaviour, { kind: 'raw' }>;
  /** Non-streaming: the chat.completion object. */
  readonly completion?: Record<string, unknown>;
  /** Streaming: every chunk payload the client receives, in order ([DONE] excluded). */
  readonly chunks?: Array<Record<string, unknown>>;
}

export const ID = '<id>';
export const CALL_ID = '<call-id>';
const MODEL = 'gemini-2.5-flash';
const GENERATE = `/v1beta/models/${MODEL}:generateContent`;
const STREAM = `/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`;

const envelope = (candidate: object | null, usageMetadata: object) => ({
  ...(candidate ? { candidates: [candidate] } : {}),
  usageMetadata,
  modelVersion: 'gemini-2.5-flash',
  responseId: 'mAitaJ3LD4ybz7IP5d6l0QU',
});
const chunk = (delta: object, finish: string | null = null) => ({
  id: ID,
  object: 'chat.completion.chunk',
  created: 0,
  model: MODEL,
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
});
const usage = (prompt: number, completion: number, cached: number, reasoning: number) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
  prompt_tokens_details: { cached_tokens: cached },
  completion_tokens_details: { reasoning_tokens: reasoning },
});
const completion = (message: object, finish: string, usageValue: object) => ({
  id: ID,
  object: 'chat.completion',
  created: 0,
  model: MODEL,
  choices: [{ index: 0, message: { role: 'assistant', ...message, refusal: null }, logprobs: null, finish_reason: finish }],
  usage: usageValue,
});

const lookupTool = {
  type: 'function',
  function: {
    name: 'lookup',
    description: 'Find a customer',
    strict: true,
    parameters: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      additionalProperties: false,
      $defs: { address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } },
      properties: {
        email: { type: 'string', format: 'email', description: 'Contact email' },
        since: { type: 'string', format: 'date-time' },
        tier: { const: 'gold' },
        address: { $ref: '#/$defs/address' },
        tags: { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'integer' }] }, maxItems: 3 },
      },
      required: ['email', 'missing'],
    },
  },
};

export const CHAT_FIXTURES: ChatContractFixture[] = [
  {
    name: 'parallel function calls (one with a Gemini id and thought signature), tool_choice required, JSON Schema converted',
    request: {
      model: MODEL,
      messages: [{ role: 'user', content: 'Find ada@example.com and bob@example.com' }],
      tools: [lookupTool],
      tool_choice: 'required',
      max_completion_tokens: 300,
      parallel_tool_calls: true,
      user: 'u-1',
    },
    upstreamUrl: GENERATE,
    upstreamBody: {
      contents: [{ role: 'user', parts: [{ text: 'Find ada@example.com and bob@example.com' }] }],
      tools: [
        {
          functionDeclarations: [
            {
              name: 'lookup',
              description: 'Find a customer',
              parameters: {
                type: 'OBJECT',
                properties: {
                  email: { type: 'STRING', description: 'Contact email' },
                  since: { type: 'STRING', format: 'date-time' },
                  tier: { type: 'STRING', format: 'enum', enum: ['gold'] },
                  address: { type: 'OBJECT', properties: { city: { type: 'STRING' } }, required: ['city'] },
                  tags: { type: 'ARRAY', maxItems: 3, items: { anyOf: [{ type: 'STRING' }, { type: 'INTEGER' }] } },
                },
                required: ['email'],
              },
            },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY' } },
      generationConfig: { maxOutputTokens: 300 },
    },
    reply: {
      kind: 'raw',
      json: envelope(
        {
          content: {
            role: 'model',
            parts: [
              { functionCall: { id: 'fc-ada', name: 'lookup', args: { email: 'ada@example.com' } }, thoughtSignature: 'c2lnLWFkYQ==' },
              { functionCall: { name: 'lookup', args: { email: 'bob@example.com', tags: ['vip', 7] } } },
            ],
          },
          finishReason: 'STOP',
          index: 0,
        },
        { promptTokenCount: 120, candidatesTokenCount: 30, totalTokenCount: 150, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 120 }] },
      ),
    },
    completion: completion(
      {
        content: null,
        tool_calls: [
          {
            id: 'fc-ada',
            type: 'function',
            function: { name: 'lookup', arguments: '{"email":"ada@example.com"}' },
            extra_content: { google: { thought_signature: 'c2lnLWFkYQ==' } },
          },
          { id: CALL_ID, type: 'function', function: { name: 'lookup', arguments: '{"email":"bob@example.com","tags":["vip",7]}' } },
        ],
      },
      'tool_calls',
      usage(120, 30, 0, 0),
    ),
  },
  {
    name: 'multi-turn: system + developer, image, pdf, signed tool call, plain-text tool result merged with the next user turn',
    request: {
      model: MODEL,
      messages: [
        { role: 'system', content: 'You are terse.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/webp;base64,UklGRg==', detail: 'high' } },
            { type: 'file', file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } },
          ],
        },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"email":"x@y.z"}' }, extra_content: { google: { thought_signature: 'c2ln' } } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'not found' },
        { role: 'developer', content: [{ type: 'text', text: 'Never guess.' }] },
        { role: 'user', content: 'OK?' },
      ],
      temperature: 0,
      stop: ['\n\n', 'END'],
      response_format: { type: 'json_object' },
      reasoning_effort: 'none',
    },
    upstreamUrl: GENERATE,
    upstreamBody: {
      contents: [
        {
          role: 'user',
          parts: [{ text: 'What is this?' }, { inlineData: { mimeType: 'image/webp', data: 'UklGRg==' } }, { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } }],
        },
        { role: 'model', parts: [{ text: 'Checking.' }, { functionCall: { name: 'lookup', args: { email: 'x@y.z' } }, thoughtSignature: 'c2ln' }] },
        { role: 'user', parts: [{ functionResponse: { name: 'lookup', response: { output: 'not found' } } }, { text: 'OK?' }] },
      ],
      systemInstruction: { parts: [{ text: 'You are terse.' }, { text: 'Never guess.' }] },
      generationConfig: { temperature: 0, stopSequences: ['\n\n', 'END'], responseMimeType: 'application/json', thinkingConfig: { thinkingBudget: 0 } },
    },
    reply: {
      kind: 'raw',
      json: envelope(
        { content: { role: 'model', parts: [{ text: '{"answer":' }, { text: '"unknown"}' }] }, finishReason: 'STOP', index: 0 },
        { promptTokenCount: 900, cachedContentTokenCount: 512, candidatesTokenCount: 6, totalTokenCount: 906 },
      ),
    },
    completion: completion({ content: '{"answer":"unknown"}' }, 'stop', usage(900, 6, 512, 0)),
  },
  {
    name: 'prompt blocked before generation (promptFeedback.blockReason, no candidates)',
    request: { model: MODEL, messages: [{ role: 'user', content: 'something blocked' }] },
    upstreamUrl: GENERATE,
    upstreamBody: { contents: [{ role: 'user', parts: [{ text: 'something blocked' }] }] },
    reply: {
      kind: 'raw',
      json: {
        promptFeedback: { blockReason: 'SAFETY', safetyRatings: [{ category: 'HARM_CATEGORY_HARASSMENT', probability: 'HIGH' }] },
        usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 },
        modelVersion: MODEL,
      },
    },
    completion: completion({ content: null }, 'content_filter', usage(8, 0, 0, 0)),
  },
  {
    name: 'streamed thinking: thought summary, text deltas, cached prompt and thoughts in the usage chunk',
    request: { model: MODEL, messages: [{ role: 'user', content: '2+2?' }], stream: true, stream_options: { include_usage: true }, reasoning_effort: 'high', max_tokens: 2000 },
    upstreamUrl: STREAM,
    upstreamBody: {
      contents: [{ role: 'user', parts: [{ text: '2+2?' }] }],
      generationConfig: { maxOutputTokens: 2000, thinkingConfig: { thinkingBudget: 24576, includeThoughts: true } },
    },
    reply: {
      kind: 'raw',
      events: [
        envelope(
          { content: { role: 'model', parts: [{ text: '**Adding** two and two.', thought: true }] }, index: 0 },
          { promptTokenCount: 40, cachedContentTokenCount: 32, totalTokenCount: 60, thoughtsTokenCount: 20 },
        ),
        envelope(
          { content: { role: 'model', parts: [{ text: 'The answer' }] }, index: 0 },
          { promptTokenCount: 40, cachedContentTokenCount: 32, candidatesTokenCount: 2, totalTokenCount: 62, thoughtsTokenCount: 20 },
        ),
        envelope(
          { content: { role: 'model', parts: [{ text: ' is 4.' }] }, finishReason: 'STOP', index: 0 },
          { promptTokenCount: 40, cachedContentTokenCount: 32, candidatesTokenCount: 5, totalTokenCount: 65, thoughtsTokenCount: 20 },
        ),
      ],
    },
    // include_usage: every chunk before the usage chunk carries `usage: null`, as OpenAI's do.
    chunks: [
      { ...chunk({ role: 'assistant', content: '' }), usage: null },
      { ...chunk({ reasoning_content: '**Adding** two and two.' }), usage: null },
      { ...chunk({ content: 'The answer' }), usage: null },
      { ...chunk({ content: ' is 4.' }), usage: null },
      { ...chunk({}, 'stop'), usage: null },
      { id: ID, object: 'chat.completion.chunk', created: 0, model: MODEL, choices: [], usage: usage(40, 25, 32, 20) },
    ],
  },
  {
    name: 'streamed function calls: each whole call one delta with index, id, name, arguments; finish tool_calls',
    request: {
      model: MODEL,
      messages: [{ role: 'user', content: 'weather?' }],
      stream: true,
      tools: [{ type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } }],
      tool_choice: 'auto',
    },
    upstreamUrl: STREAM,
    upstreamBody: {
      contents: [{ role: 'user', parts: [{ text: 'weather?' }] }],
      tools: [{ functionDeclarations: [{ name: 'now' }] }],
      toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
    },
    reply: {
      kind: 'raw',
      events: [
        envelope({ content: { role: 'model', parts: [{ text: 'Let me check.' }] }, index: 0 }, { promptTokenCount: 10, candidatesTokenCount: 3, totalTokenCount: 13 }),
        envelope(
          {
            content: { role: 'model', parts: [{ functionCall: { name: 'now', args: {} } }, { functionCall: { id: 'g-2', name: 'now', args: { tz: 'UTC' } } }] },
            finishReason: 'STOP',
            index: 0,
          },
          { promptTokenCount: 10, candidatesTokenCount: 9, totalTokenCount: 19 },
        ),
      ],
    },
    chunks: [
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Let me check.' }),
      chunk({ tool_calls: [{ index: 0, id: CALL_ID, type: 'function', function: { name: 'now', arguments: '{}' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'g-2', type: 'function', function: { name: 'now', arguments: '{"tz":"UTC"}' } }] }),
      chunk({}, 'tool_calls'),
    ],
  },
  {
    name: 'stream stopped by a safety filter mid-answer',
    request: { model: MODEL, messages: [{ role: 'user', content: 'tell me' }], stream: true },
    upstreamUrl: STREAM,
    upstreamBody: { contents: [{ role: 'user', parts: [{ text: 'tell me' }] }] },
    reply: {
      kind: 'raw',
      events: [
        envelope({ content: { role: 'model', parts: [{ text: 'Once upon' }] }, index: 0 }, { promptTokenCount: 3, candidatesTokenCount: 2, totalTokenCount: 5 }),
        envelope(
          {
            content: { role: 'model', parts: [] },
            finishReason: 'SAFETY',
            index: 0,
            safetyRatings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }],
          },
          { promptTokenCount: 3, candidatesTokenCount: 2, totalTokenCount: 5 },
        ),
      ],
    },
    chunks: [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Once upon' }), chunk({}, 'content_filter')],
  },
];

/** Gemini error answers and the exact OpenAI error the client must get for each. */
export const ERROR_FIXTURES: Array<{ name: string; status: number; body: unknown; clientStatus: number; clientError: Record<string, unknown> }> = [
  {
    name: 'INVALID_ARGUMENT',
    status: 400,
    body: { error: { code: 400, message: '* GenerateContentRequest.contents: contents is not specified\n', status: 'INVALID_ARGUMENT' } },
    clientStatus: 400,
    clientError: { message: '* GenerateContentRequest.contents: contents is not specified\n', type: 'invalid_request_error', param: null, code: 'INVALID_ARGUMENT' },
  },
  {
    name: 'PERMISSION_DENIED',
    status: 403,
    body: { error: { code: 403, message: 'Permission denied: Consumer has been suspended.', status: 'PERMISSION_DENIED' } },
    clientStatus: 403,
    clientError: { message: 'Permission denied: Consumer has been suspended.', type: 'invalid_request_error', param: null, code: 'PERMISSION_DENIED' },
  },
  {
    name: 'NOT_FOUND',
    status: 404,
    body: { error: { code: 404, message: 'models/gemini-2.5-flash is not found for API version v1beta.', status: 'NOT_FOUND' } },
    clientStatus: 404,
    clientError: { message: 'models/gemini-2.5-flash is not found for API version v1beta.', type: 'invalid_request_error', param: null, code: 'NOT_FOUND' },
  },
  {
    name: 'RESOURCE_EXHAUSTED with RetryInfo',
    status: 429,
    body: {
      error: {
        code: 429,
        message: 'You exceeded your current quota.',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '31s' }],
      },
    },
    clientStatus: 429,
    clientError: { message: 'You exceeded your current quota.', type: 'rate_limit_error', param: null, code: 'RESOURCE_EXHAUSTED' },
  },
  {
    name: 'INTERNAL',
    status: 500,
    body: { error: { code: 500, message: 'An internal error has occurred.', status: 'INTERNAL' } },
    clientStatus: 502,
    clientError: { message: 'An internal error has occurred.', type: 'upstream_error', param: null, code: 'INTERNAL' },
  },
  {
    name: 'UNAVAILABLE',
    status: 503,
    body: { error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } },
    clientStatus: 502,
    clientError: { message: 'The model is overloaded. Please try again later.', type: 'upstream_error', param: null, code: 'UNAVAILABLE' },
  },
  {
    name: 'a non-JSON proxy page',
    status: 502,
    body: '<html><body>Bad Gateway</body></html>',
    clientStatus: 502,
    clientError: { message: "Upstream provider 'gemini' answered with HTTP 502.", type: 'upstream_error', param: null, code: null },
  },
];
