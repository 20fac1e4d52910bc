/**
 * What the benchmark sends. Each scenario names the gateway request and, when there is one, the
 * equivalent request sent straight to the fake upstream, so the gateway's cost is the difference.
 * Authorization is added per target (master key for the gateway, upstream key for direct).
 *
 * To add a route, append an entry:
 *   { name, description, stream, default, upstream?, model?, gateway: { method, path, headers?, auth?, body(model) }, direct: {...} | null }
 * `body(model)` returns the JSON object to send; `stream` says whether the answer is SSE.
 * `direct: null` measures the gateway alone (no added-latency columns).
 * `upstream: 'anthropic'` puts the fake Anthropic upstream behind the gateway and under "direct"
 * (default: the fake OpenAI one); `model` replaces --model for that scenario; `auth: 'x-api-key'`
 * sends the key as Anthropic clients do instead of as a Bearer token. `key: 'governed'` sends the
 * gateway side with the managed key run.mjs creates for it (RPM, TPM, concurrency and a budget, on
 * Redis: a run with such a scenario runs its gateway on Redis, so the rows beside it do too). `upstream: 'audio'` puts the
 * fake OpenAI audio upstream behind the gateway (as provider `openai-audio`) and under "direct";
 * `contentType` is the answer's expected type when it is neither JSON nor SSE. `gatewayEnv` is
 * environment the gateway of a run with that scenario gets (so the rows beside it run with it too).
 */
const MESSAGES = [
  { role: 'system', content: 'You are a helpful assistant.' },
  { role: 'user', content: 'Say hello to the benchmark in one short sentence.' },
];

const chatBody = (model) => ({ model, messages: MESSAGES, max_tokens: 64 });
const chatStreamBody = (model) => ({ ...chatBody(model), stream: true, stream_options: { include_usage: true } });
const chat = (body) => ({ method: 'POST', path: '/v1/chat/completions', body });

// The fake Anthropic upstream lists this model, so the gateway routes it there (native path).
const CLAUDE_MODEL = 'claude-sonnet-4-5-20250929';
const messagesBody = (model) => ({ model, max_tokens: 64, system: MESSAGES[0].content, messages: [MESSAGES[1]] });
const messagesStreamBody = (model) => ({ ...messagesBody(model), stream: true });
const messages = (body) => ({ method: 'POST', path: '/v1/messages', auth: 'x-api-key', headers: { 'anthropic-version': '2023-06-01' }, body });

// The fake audio upstream is the gateway's `openai-audio` provider; direct requests name the bare model.
const SPEECH_INPUT = 'Say hello to the benchmark in one short sentence, out loud.';
const speech = (prefix) => ({ method: 'POST', path: '/v1/audio/speech', body: (model) => ({ model: `${prefix}${model}`, voice: 'alloy', input: SPEECH_INPUT }) });

export const SCENARIOS = [
  {
    name: 'chat',
    description: 'POST /v1/chat/completions, JSON answer',
    stream: false,
    default: true,
    gateway: chat(chatBody),
    direct: chat(chatBody),
  },
  {
    name: 'chat-stream',
    description: 'POST /v1/chat/completions, stream with include_usage',
    stream: true,
    default: true,
    gateway: chat(chatStreamBody),
    direct: chat(chatStreamBody),
  },
  {
    name: 'chat-provider-prefix',
    description: 'POST /v1/chat/completions with model "openai/<model>" (explicit provider selector)',
    stream: false,
    default: false,
    gateway: chat((model) => chatBody(`openai/${model}`)),
    direct: chat(chatBody),
  },
  {
    name: 'messages',
    description: 'POST /v1/messages on an Anthropic provider (native: body forwarded but for model), JSON answer',
    stream: false,
    default: true,
    upstream: 'anthropic',
    model: CLAUDE_MODEL,
    gateway: messages(messagesBody),
    direct: messages(messagesBody),
  },
  {
    name: 'messages-stream',
    description: 'POST /v1/messages on an Anthropic provider (native), SSE piped and metered',
    stream: true,
    default: false,
    upstream: 'anthropic',
    model: CLAUDE_MODEL,
    gateway: messages(messagesStreamBody),
    direct: messages(messagesStreamBody),
  },
  {
    name: 'chat-governed',
    description: 'POST /v1/chat/completions, JSON answer, with a managed key that has RPM, TPM, concurrency and a budget, on Redis',
    stream: false,
    default: false,
    key: 'governed',
    gateway: chat(chatBody),
    direct: chat(chatBody),
  },
  {
    name: 'chat-cached',
    description: 'POST /v1/chat/completions, JSON answer, one request repeated with the response cache on (CACHE_ENABLED): every measured request is a HIT',
    stream: false,
    default: false,
    gatewayEnv: { CACHE_ENABLED: 'true' },
    // temperature 0: the cache serves only deterministic requests unless the model's config allows more.
    gateway: chat((model) => ({ ...chatBody(model), temperature: 0 })),
    direct: chat((model) => ({ ...chatBody(model), temperature: 0 })),
  },
  {
    name: 'passthrough',
    description: 'POST /p/openai/chat/completions (native passthrough, body opaque, usage metered)',
    stream: false,
    default: false,
    gateway: { method: 'POST', path: '/p/openai/chat/completions', body: chatBody },
    direct: chat(chatBody),
  },
  {
    // The probe's "first chunk" columns are the time to the first audio byte; gateway minus direct is what the gateway adds to it.
    name: 'speech',
    description: 'POST /v1/audio/speech, binary audio relayed as it arrives (probe: time to first audio byte)',
    stream: false,
    contentType: 'audio/',
    default: false,
    upstream: 'audio',
    model: 'tts-1',
    gateway: speech('openai-audio/'),
    direct: speech(''),
  },
];

/** The model a scenario sends: its own, else --model. */
export function modelFor(scenario, model) {
  return scenario.model ?? model;
}

/** Where a target sends a scenario: the direct target has one origin per fake upstream. */
export function originFor(target, scenario) {
  return target.origins?.[scenario.upstream ?? 'openai'] ?? target.origin;
}

/** The credential a target sends for a scenario: the scenario's own key on the gateway, else the target's. */
export function authorizationFor(target, scenario) {
  return (scenario.key && target.keys?.[scenario.key]) || target.authorization;
}

/** The concrete HTTP request of one side of a scenario, ready for autocannon and undici. */
export function buildRequest(side, model, authorization) {
  const credentials = side.auth === 'x-api-key' ? { 'x-api-key': authorization.replace(/^Bearer /, '') } : { authorization };
  return {
    method: side.method,
    path: side.path,
    headers: { 'content-type': 'application/json', ...credentials, ...(side.headers ?? {}) },
    body: JSON.stringify(side.body(model)),
  };
}
