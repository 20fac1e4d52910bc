import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { API_KEY, ClientWorld } from '../support/clients/client-world';

let world: ClientWorld;
beforeAll(async () => (world = await ClientWorld.start()));
afterAll(() => world?.close());
beforeEach(() => world.reset());

const OPENAI_LIMITS = {
  'retry-after': '30',
  'retry-after-ms': '30000',
  'x-ratelimit-limit-requests': '500',
  'x-ratelimit-remaining-requests': '0',
  'x-ratelimit-limit-tokens': '90000',
  'x-ratelimit-remaining-tokens': '12',
  'x-ratelimit-reset-requests': '30s',
};
const ANTHROPIC_LIMITS = {
  'retry-after': '30',
  'anthropic-ratelimit-requests-limit': '500',
  'anthropic-ratelimit-requests-remaining': '0',
  'anthropic-ratelimit-tokens-limit': '90000',
  'anthropic-ratelimit-tokens-remaining': '12',
};

/** The headers of the 429 an SDK call rejected with. */
async function headersOf429(call: Promise<unknown>): Promise<Headers> {
  const error = await call.then(
    () => undefined,
    (rejection: unknown) => rejection as { status: number; headers: Headers },
  );
  expect(error?.status).toBe(429);
  return error!.headers;
}

describe('a 429 keeps the upstream retry-after and rate-limit headers, in the caller dialect', () => {
  const openai = () => new OpenAI({ apiKey: API_KEY, baseURL: world.openaiBaseURL, maxRetries: 0 });
  const anthropic = () => new Anthropic({ apiKey: API_KEY, baseURL: world.gateway.url, maxRetries: 0 });

  it('chat completions, embeddings and responses on an OpenAI-dialect upstream (same names)', async () => {
    const calls = [
      () => openai().chat.completions.create({ model: `groq/llama-3.3-70b`, messages: [{ role: 'user', content: 'hi' }] }),
      () => openai().embeddings.create({ model: 'groq/text-embedding-3-small', input: 'hi' }),
      () => openai().responses.create({ model: 'groq/llama-3.3-70b', input: 'hi' }),
    ];
    for (const call of calls) {
      world.chat.enqueue({ kind: 'status', status: 429, headers: OPENAI_LIMITS });
      const headers = await headersOf429(call());
      expect(Object.fromEntries(Object.keys(OPENAI_LIMITS).map((name) => [name, headers.get(name)]))).toEqual(OPENAI_LIMITS);
    }
  });

  it('native /v1/messages (same names) and chat completions on an Anthropic upstream (OpenAI names)', async () => {
    world.anthropic.enqueue({ kind: 'status', status: 429, headers: ANTHROPIC_LIMITS });
    const native = await headersOf429(anthropic().messages.create({ model: 'anthropic/claude-sonnet-4-5-20250929', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }));
    expect(Object.fromEntries(Object.keys(ANTHROPIC_LIMITS).map((name) => [name, native.get(name)]))).toEqual(ANTHROPIC_LIMITS);
    world.anthropic.enqueue({ kind: 'status', status: 429, headers: ANTHROPIC_LIMITS });
    const translated = await headersOf429(openai().chat.completions.create({ model: 'anthropic/claude-sonnet-4-5-20250929', messages: [{ role: 'user', content: 'hi' }] }));
    expect(translated.get('retry-after')).toBe('30');
    expect(translated.get('x-ratelimit-limit-requests')).toBe('500');
    expect(translated.get('x-ratelimit-remaining-tokens')).toBe('12');
  });

  it('translated /v1/messages on an OpenAI upstream (Anthropic names)', async () => {
    world.chat.enqueue({ kind: 'status', status: 429, headers: OPENAI_LIMITS });
    const headers = await headersOf429(anthropic().messages.create({ model: 'groq/llama-3.3-70b', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }));
    expect(headers.get('retry-after')).toBe('30');
    expect(headers.get('anthropic-ratelimit-requests-limit')).toBe('500');
    expect(headers.get('anthropic-ratelimit-tokens-remaining')).toBe('12');
  });
});
