import type { AnthropicBehaviour } from './anthropic-behaviour';

/**
 * Contract fixtures for the Anthropic adapter: a client's Chat Completions request, what the fake
 * Anthropic upstream answers, the exact Messages API request the gateway must send, and the exact
 * output the client must see (`created` normalised to 0). Streams list every `data:` payload.
 */
export interface ContractFixture {
  readonly name: string;
  readonly request: Record<string, unknown>;
  readonly answer: AnthropicBehaviour;
  readonly upstream: Record<string, unknown>;
  /** The chat.completion object, or every SSE data payload (parsed JSON, then '[DONE]'). */
  readonly client: Record<string, unknown> | Array<Record<string, unknown> | string>;
}

export const CONTRACT_MODEL = 'claude-sonnet-4-5-20250929';
const MAX_TOKENS = 4096;

/** Cache writes, when the upstream reported some, are carried as `cache_creation_input_tokens` (LiteLLM's name), so pricing and clients see them. */
const usage = (prompt: number, completion: number, cached = 0, cacheWrites = 0) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
  prompt_tokens_details: { cached_tokens: cached },
  completion_tokens_details: { reasoning_tokens: 0 },
  ...(cacheWrites > 0 ? { cache_creation_input_tokens: cacheWrites } : {}),
});

const completion = (id: string, message: Record<string, unknown>, finish: string, tokens: object) => ({
  id,
  object: 'chat.completion',
  created: 0,
  model: CONTRACT_MODEL,
  choices: [{ index: 0, message: { role: 'assistant', ...message, refusal: null }, logprobs: null, finish_reason: finish }],
  usage: tokens,
});

const chunkOf =
  (id: string) =>
  (delta: object, finish: string | null = null) => ({
    id,
    object: 'chat.completion.chunk',
    created: 0,
    model: CONTRACT_MODEL,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });

const usageChunk = (id: string, tokens: object) => ({ id, object: 'chat.completion.chunk', created: 0, model: CONTRACT_MODEL, choices: [], usage: tokens });

/** With include_usage, OpenAI puts `usage: null` on every chunk before the usage chunk. */
const withNullUsage = (chunk: object) => ({ ...chunk, usage: null });
const c3 = (delta: object, finish: string | null = null) => withNullUsage(chunkOf('msg_contract_3')(delta, finish));
const c4 = chunkOf('msg_contract_4');
const c5 = chunkOf('msg_contract_5');

export const CONTRACT_FIXTURES: readonly ContractFixture[] = [
  {
    name: 'system and developer messages become `system`; sampling fields are renamed',
    request: {
      model: CONTRACT_MODEL,
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: 'Hello' },
      ],
      max_completion_tokens: 300,
      top_p: 0.9,
      stop: ['###', 'END'],
      user: 'end-user-1',
      service_tier: 'auto',
    },
    answer: { kind: 'ok', id: 'msg_contract_1', content: 'Bonjour', usage: { input_tokens: 11, output_tokens: 3, cache_creation_input_tokens: 5, cache_read_input_tokens: 40 } },
    upstream: {
      model: CONTRACT_MODEL,
      system: [
        { type: 'text', text: 'You are terse.' },
        { type: 'text', text: 'Answer in French.' },
      ],
      messages: [{ role: 'user', content: 'Hello' }],
      max_tokens: 300,
      top_p: 0.9,
      stop_sequences: ['###', 'END'],
      metadata: { user_id: 'end-user-1' },
      service_tier: 'auto',
    },
    client: completion('msg_contract_1', { content: 'Bonjour' }, 'stop', usage(56, 3, 40, 5)),
  },
  {
    name: 'tool results and consecutive same-role messages merge into alternating turns; tool_use answers become tool_calls',
    request: {
      model: CONTRACT_MODEL,
      messages: [
        { role: 'user', content: 'Plan my day.' },
        { role: 'user', content: 'Start with the weather.' },
        { role: 'assistant', content: 'Looking it up.', tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Lyon"}' } }] },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'Sunny' },
        { role: 'user', content: 'And tomorrow?' },
      ],
      tools: [{ type: 'function', function: { name: 'weather', description: 'Forecast for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      tool_choice: { type: 'function', function: { name: 'weather' } },
    },
    answer: {
      kind: 'ok',
      id: 'msg_contract_2',
      content: [{ type: 'tool_use', id: 'toolu_2', name: 'weather', input: { city: 'Lyon', day: 'tomorrow' } }],
      usage: { input_tokens: 30, output_tokens: 12 },
    },
    upstream: {
      model: CONTRACT_MODEL,
      max_tokens: MAX_TOKENS,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Plan my day.' },
            { type: 'text', text: 'Start with the weather.' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Looking it up.' },
            { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Lyon' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny' },
            { type: 'text', text: 'And tomorrow?' },
          ],
        },
      ],
      tools: [{ name: 'weather', description: 'Forecast for a city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
      tool_choice: { type: 'tool', name: 'weather' },
    },
    client: completion(
      'msg_contract_2',
      { content: null, tool_calls: [{ id: 'toolu_2', type: 'function', function: { name: 'weather', arguments: '{"city":"Lyon","day":"tomorrow"}' } }] },
      'tool_calls',
      usage(30, 12),
    ),
  },
  {
    name: 'a text stream with the usage chunk the client asked for',
    request: { model: CONTRACT_MODEL, messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } },
    answer: { kind: 'ok', id: 'msg_contract_3', content: 'Hi there friend', usage: { input_tokens: 9, output_tokens: 4, cache_read_input_tokens: 2 } },
    upstream: { model: CONTRACT_MODEL, max_tokens: MAX_TOKENS, messages: [{ role: 'user', content: 'Hi' }], stream: true },
    client: [
      c3({ role: 'assistant', content: '' }),
      c3({ content: 'Hi' }),
      c3({ content: ' there' }),
      c3({ content: ' friend' }),
      c3({}, 'stop'),
      usageChunk('msg_contract_3', usage(11, 4, 2)),
      '[DONE]',
    ],
  },
  {
    name: 'thinking then two tool calls stream as reasoning_content and tool_calls indexed 0 and 1',
    request: {
      model: CONTRACT_MODEL,
      messages: [{ role: 'user', content: 'Go' }],
      stream: true,
      reasoning_effort: 'medium',
      max_tokens: 2000,
      tools: [
        { type: 'function', function: { name: 'ping' } },
        { type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } },
      ],
    },
    answer: {
      kind: 'ok',
      id: 'msg_contract_4',
      content: [
        { type: 'thinking', thinking: 'Need both tools.' },
        { type: 'tool_use', id: 'toolu_a', name: 'ping', input: {} },
        { type: 'tool_use', id: 'toolu_b', name: 'lookup', input: { query: 'switchyard' } },
      ],
    },
    upstream: {
      model: CONTRACT_MODEL,
      max_tokens: 10_192,
      thinking: { type: 'enabled', budget_tokens: 8192 },
      messages: [{ role: 'user', content: 'Go' }],
      tools: [
        { name: 'ping', input_schema: { type: 'object', properties: {} } },
        { name: 'lookup', input_schema: { type: 'object' } },
      ],
      stream: true,
    },
    client: [
      c4({ role: 'assistant', content: '' }),
      c4({ reasoning_content: 'Need' }),
      c4({ reasoning_content: ' both' }),
      c4({ reasoning_content: ' tools.' }),
      c4({ tool_calls: [{ index: 0, id: 'toolu_a', type: 'function', function: { name: 'ping', arguments: '' } }] }),
      c4({ tool_calls: [{ index: 0, function: { arguments: '{}' } }] }),
      c4({ tool_calls: [{ index: 1, id: 'toolu_b', type: 'function', function: { name: 'lookup', arguments: '' } }] }),
      c4({ tool_calls: [{ index: 1, function: { arguments: '{"query":"' } }] }),
      c4({ tool_calls: [{ index: 1, function: { arguments: 'switchyard' } }] }),
      c4({ tool_calls: [{ index: 1, function: { arguments: '"}' } }] }),
      c4({}, 'tool_calls'),
      '[DONE]',
    ],
  },
  {
    name: 'json_object streams the forced tool input as content, finishing with stop',
    request: { model: CONTRACT_MODEL, messages: [{ role: 'user', content: 'JSON please' }], stream: true, response_format: { type: 'json_object' }, parallel_tool_calls: false },
    answer: { kind: 'ok', id: 'msg_contract_5', content: [{ type: 'tool_use', id: 'toolu_j', name: 'json_object', input: { ok: true } }] },
    upstream: {
      model: CONTRACT_MODEL,
      max_tokens: MAX_TOKENS,
      messages: [{ role: 'user', content: 'JSON please' }],
      tools: [{ name: 'json_object', description: 'Answer with a JSON object.', input_schema: { type: 'object' } }],
      tool_choice: { type: 'tool', name: 'json_object' },
      stream: true,
    },
    client: [c5({ role: 'assistant', content: '' }), c5({ content: '{"ok":true' }), c5({ content: '}' }), c5({}, 'stop'), '[DONE]'],
  },
  {
    name: 'max_tokens stop becomes finish_reason length',
    request: { model: CONTRACT_MODEL, messages: [{ role: 'user', content: 'Long story' }], max_tokens: 5 },
    answer: { kind: 'ok', id: 'msg_contract_6', content: 'Once upon a', stopReason: 'max_tokens', usage: { input_tokens: 3, output_tokens: 5 } },
    upstream: { model: CONTRACT_MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'Long story' }] },
    client: completion('msg_contract_6', { content: 'Once upon a' }, 'length', usage(3, 5)),
  },
  {
    name: 'refusal stop becomes finish_reason content_filter',
    request: { model: CONTRACT_MODEL, messages: [{ role: 'user', content: 'Something bad' }] },
    answer: { kind: 'ok', id: 'msg_contract_7', content: 'I cannot help with that.', stopReason: 'refusal', usage: { input_tokens: 4, output_tokens: 6 } },
    upstream: { model: CONTRACT_MODEL, max_tokens: MAX_TOKENS, messages: [{ role: 'user', content: 'Something bad' }] },
    client: completion('msg_contract_7', { content: 'I cannot help with that.' }, 'content_filter', usage(4, 6)),
  },
];
