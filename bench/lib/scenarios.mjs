/**
 * What the benchmark sends. Each scenario names the gateway request and, when there is one, the
 * equivalent request sent straight to the fake upstream, so the gateway's cost is the difference.
 * Authorization is added per target (master key for the gateway, upstream key for direct).
 *
 * To add a route (e.g. POST /v1/messages, or passthrough /p/openai/...), append an entry:
 *   { name, description, stream, default, gateway: { method, path, headers?, body(model) }, direct: {...} | null }
 * `body(model)` returns the JSON object to send; `stream` says whether the answer is SSE.
 * `direct: null` measures the gateway alone (no added-latency columns).
 */
const MESSAGES = [
  { role: 'system', content: 'You are a helpful assistant.' },
  { role: 'user', content: 'Say hello to the benchmark in one short sentence.' },
];

const chatBody = (model) => ({ model, messages: MESSAGES, max_tokens: 64 });
const chatStreamBody = (model) => ({ ...chatBody(model), stream: true, stream_options: { include_usage: true } });
const chat = (body) => ({ method: 'POST', path: '/v1/chat/completions', body });

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
];

/** The concrete HTTP request of one side of a scenario, ready for autocannon and undici. */
export function buildRequest(side, model, authorization) {
  return {
    method: side.method,
    path: side.path,
    headers: { 'content-type': 'application/json', authorization, ...(side.headers ?? {}) },
    body: JSON.stringify(side.body(model)),
  };
}
