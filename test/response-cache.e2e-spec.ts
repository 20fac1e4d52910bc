import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { AuditRepository, AuditWriter, UsageRepository, UsageWriter } from '@app/storage';
import { FakeAnthropicUpstream } from './support/fake-anthropic';
import { FakeOpenAIUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

const OPENAI_KEY = 'sk-upstream-openai';
const ANTHROPIC_KEY = 'sk-ant-upstream';
const CLAUDE = 'claude-sonnet-4-5-20250929';
let seq = 0;
/** A prompt no other test sends, so each test starts with an empty cache for it. */
const fresh = (label: string) => `${label} #${++seq} ${Date.now()}`;

describe('exact-match response cache (CACHE_ENABLED=true)', () => {
  let openai: FakeOpenAIUpstream;
  let anthropic: FakeAnthropicUpstream;
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    openai = await FakeOpenAIUpstream.start({ apiKey: OPENAI_KEY, models: ['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small', 'llama-3.3-70b'] });
    anthropic = await FakeAnthropicUpstream.start({ apiKey: ANTHROPIC_KEY });
    gateway = await startTestGateway(
      {
        CACHE_ENABLED: 'true',
        OPENAI_API_KEY: OPENAI_KEY,
        OPENAI_BASE_URL: openai.baseUrl,
        GROQ_API_KEY: OPENAI_KEY,
        GROQ_BASE_URL: openai.baseUrl,
        ANTHROPIC_API_KEY: ANTHROPIC_KEY,
        ANTHROPIC_BASE_URL: anthropic.url,
      },
      { routingYaml: 'cache:\n  models:\n    openai/gpt-4o:\n      allow_nondeterministic: true\n' },
    );
    client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.close();
    await openai?.close();
    await anthropic?.close();
  });

  beforeEach(() => {
    openai.reset();
    anthropic.reset();
  });

  const chatCalls = () => openai.requests.filter((request) => request.path === '/v1/chat/completions').length;
  const chat = (content: string, extra: Record<string, unknown> = {}) => ({
    model: 'openai/gpt-4o-mini',
    temperature: 0,
    messages: [{ role: 'user' as const, content }],
    ...extra,
  });

  async function usageRow(requestId: string) {
    await gateway.app.get(UsageWriter).flush();
    return gateway.app.get(UsageRepository).findByRequestId(requestId);
  }

  it('answers the second identical chat completion from the cache: same content, no upstream call, HIT with Age', async () => {
    const body = chat(fresh('capital of France'));
    const first = await client.chat.completions.create(body, { headers: { 'x-request-id': 'cache-miss-1' } }).withResponse();
    const second = await client.chat.completions.create(body, { headers: { 'x-request-id': 'cache-hit-1' } }).withResponse();
    expect(first.response.headers.get('x-switchyard-cache')).toBe('MISS');
    expect(second.response.headers.get('x-switchyard-cache')).toBe('HIT');
    expect(second.response.headers.get('age')).toMatch(/^\d+$/);
    expect(second.response.headers.get('x-switchyard-provider')).toBe('openai');
    expect(second.data).toEqual(first.data);
    expect(chatCalls()).toBe(1);

    const miss = await usageRow('cache-miss-1');
    const hit = await usageRow('cache-hit-1');
    expect(miss).toMatchObject({ cacheHit: false, savedCostMicros: null });
    expect(hit).toMatchObject({ cacheHit: true, costMicros: 0, provider: 'openai', model: 'gpt-4o-mini', inputTokens: miss!.inputTokens, outputTokens: miss!.outputTokens });
    expect(hit!.savedCostMicros).toBe(miss!.costMicros);
    await gateway.app.get(AuditWriter).flush();
    const audited = await gateway.app.get(AuditRepository).page({ limit: 50 });
    expect(audited.data.find((entry) => entry.requestId === 'cache-hit-1')).toMatchObject({ cache: 'HIT' });
  });

  it.each<[string, (prompt: string) => Record<string, unknown>]>([
    ['temperature (on a model that allows non-deterministic caching)', (prompt) => ({ ...chat(prompt), model: 'openai/gpt-4o', temperature: 0.7 })],
    ['tools', (prompt) => chat(prompt, { tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }] })],
    [
      'a system message',
      (prompt) =>
        chat(prompt, {
          messages: [
            { role: 'system', content: 'Be terse.' },
            { role: 'user', content: prompt },
          ],
        }),
    ],
  ])('misses when %s changes', async (name, changed) => {
    const prompt = fresh('vary');
    const original = name.startsWith('temperature') ? { ...chat(prompt), model: 'openai/gpt-4o', temperature: 0.2 } : chat(prompt);
    await client.chat.completions.create(original);
    const again = await client.chat.completions.create(changed(prompt) as never).withResponse();
    expect(again.response.headers.get('x-switchyard-cache')).toBe('MISS');
    const repeated = await client.chat.completions.create(original).withResponse();
    expect(repeated.response.headers.get('x-switchyard-cache')).toBe('HIT');
    expect(chatCalls()).toBe(2);
  });

  it('bypasses a non-deterministic request (no temperature: the provider default) and honours no-store and no-cache', async () => {
    const prompt = fresh('directives');
    const noTemperature = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: prompt }] }).withResponse();
    expect(noTemperature.response.headers.get('x-switchyard-cache')).toBe('BYPASS');

    const noStore = await client.chat.completions.create(chat(prompt), { headers: { 'X-Switchyard-Cache': 'no-store' } }).withResponse();
    expect(noStore.response.headers.get('x-switchyard-cache')).toBe('BYPASS');
    const afterNoStore = await client.chat.completions.create(chat(prompt)).withResponse();
    expect(afterNoStore.response.headers.get('x-switchyard-cache')).toBe('MISS');
    const refreshed = await client.chat.completions.create(chat(prompt), { headers: { 'X-Switchyard-Cache': 'no-cache' } }).withResponse();
    expect(refreshed.response.headers.get('x-switchyard-cache')).toBe('MISS');
    expect(chatCalls()).toBe(4);
    const served = await client.chat.completions.create(chat(prompt)).withResponse();
    expect(served.response.headers.get('x-switchyard-cache')).toBe('HIT');
    expect(served.data.id).toBe(refreshed.data.id);
    expect(chatCalls()).toBe(4);
  });

  it('refuses a malformed X-Switchyard-Cache header with a 400 naming it', async () => {
    const error = (await client.chat.completions
      .create(chat(fresh('bad header')), { headers: { 'X-Switchyard-Cache': 'ttl=soon' } })
      .catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.message).toContain('X-Switchyard-Cache');
  });

  it('replays a stored stream as the same events, and answers across shapes (stream ↔ completion)', async () => {
    const prompt = fresh('stream me');
    const live = client.chat.completions.stream(chat(prompt));
    const liveFinal = await live.finalChatCompletion();
    expect(chatCalls()).toBe(1);

    const replayed = await client.chat.completions.create({ ...chat(prompt), stream: true }).withResponse();
    expect(replayed.response.headers.get('x-switchyard-cache')).toBe('HIT');
    const replayedText: string[] = [];
    for await (const chunk of replayed.data) replayedText.push(chunk.choices[0]?.delta?.content ?? '');
    expect(replayedText.join('')).toBe(liveFinal.choices[0].message.content);
    const replayedFinal = await client.chat.completions.stream(chat(prompt)).finalChatCompletion();
    expect(replayedFinal).toEqual(liveFinal);

    const whole = await client.chat.completions.create(chat(prompt)).withResponse();
    expect(whole.response.headers.get('x-switchyard-cache')).toBe('HIT');
    expect(whole.data.choices[0].message.content).toBe(liveFinal.choices[0].message.content);
    expect(whole.data.id).toBe(liveFinal.id);

    const other = fresh('completion first');
    const completion = await client.chat.completions.create(chat(other));
    const synthesized = await client.chat.completions.stream(chat(other)).finalChatCompletion();
    expect(synthesized.choices[0].message.content).toBe(completion.choices[0].message.content);
    expect(synthesized.id).toBe(completion.id);
    expect(chatCalls()).toBe(2);
  });

  it('keeps per-key entries apart: one managed key never reads another key’s answer', async () => {
    const createKey = async (name: string) => {
      const response = await fetch(`${gateway.url}/admin/auth-keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      expect(response.status).toBeLessThan(300);
      return new OpenAI({ apiKey: ((await response.json()) as { value: string }).value, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    };
    const [alice, bob] = [await createKey('cache-alice'), await createKey('cache-bob')];
    const body = chat(fresh('private'));
    const verdict = async (who: OpenAI) => (await who.chat.completions.create(body).withResponse()).response.headers.get('x-switchyard-cache');
    expect(await verdict(alice)).toBe('MISS');
    expect(await verdict(bob)).toBe('MISS');
    expect(await verdict(alice)).toBe('HIT');
    expect(await verdict(bob)).toBe('HIT');
    expect(chatCalls()).toBe(2);
  });

  it('still counts a hit against the key’s request rate limit (admission runs before the cache)', async () => {
    const response = await fetch(`${gateway.url}/admin/auth-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'cache-rpm-3', limits: { requests_per_minute: 3 } }),
    });
    const limited = new OpenAI({ apiKey: ((await response.json()) as { value: string }).value, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const body = chat(fresh('limited'));
    const verdicts = [];
    for (let i = 0; i < 3; i++) verdicts.push((await limited.chat.completions.create(body).withResponse()).response.headers.get('x-switchyard-cache'));
    expect(verdicts).toEqual(['MISS', 'HIT', 'HIT']);
    const refused = await limited.chat.completions.create(body).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect(chatCalls()).toBe(1);
  });

  it('coalesces 100 concurrent identical misses into one upstream call', async () => {
    openai.setDefault({ kind: 'slow-first-byte', delayMs: 200 });
    try {
      const body = chat(fresh('stampede'));
      const answers = await Promise.all(Array.from({ length: 100 }, () => client.chat.completions.create(body).withResponse()));
      expect(chatCalls()).toBe(1);
      expect(new Set(answers.map((answer) => answer.data.id)).size).toBe(1);
      const verdicts = answers.map((answer) => answer.response.headers.get('x-switchyard-cache'));
      expect(verdicts.filter((verdict) => verdict === 'MISS')).toHaveLength(1);
      expect(verdicts.filter((verdict) => verdict === 'HIT')).toHaveLength(99);
    } finally {
      openai.setDefault({ kind: 'ok' });
    }
  });

  it('when the leading request fails, one waiter leads a second call and the others wait for it', async () => {
    openai.enqueue({ kind: 'status', status: 400, delayMs: 200 });
    openai.setDefault({ kind: 'slow-first-byte', delayMs: 200 });
    try {
      const body = chat(fresh('leader fails'));
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => client.chat.completions.create(body).withResponse()));
      // Not one call per waiter: the failed leader's call, then one more for the 19 that waited.
      expect(chatCalls()).toBe(2);
      const failed = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(failed).toHaveLength(1);
      expect(failed[0].reason).toBeInstanceOf(OpenAI.BadRequestError);
      const verdicts = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value.response.headers.get('x-switchyard-cache')] : []));
      expect(verdicts.filter((verdict) => verdict === 'MISS')).toHaveLength(1);
      expect(verdicts.filter((verdict) => verdict === 'HIT')).toHaveLength(18);
    } finally {
      openai.setDefault({ kind: 'ok' });
    }
  });

  it('caches embeddings (always deterministic)', async () => {
    const input = fresh('embed');
    const first = await client.embeddings.create({ model: 'openai/text-embedding-3-small', input }).withResponse();
    const second = await client.embeddings.create({ model: 'openai/text-embedding-3-small', input }).withResponse();
    expect([first.response.headers.get('x-switchyard-cache'), second.response.headers.get('x-switchyard-cache')]).toEqual(['MISS', 'HIT']);
    expect(second.data).toEqual(first.data);
    expect(openai.requests.filter((request) => request.path === '/v1/embeddings')).toHaveLength(1);
  });

  it('caches Responses (translated through chat) and replays their stream', async () => {
    const body = { model: 'groq/llama-3.3-70b', input: fresh('responses'), temperature: 0 };
    const first = await client.responses.create(body).withResponse();
    const second = await client.responses.create(body).withResponse();
    expect([first.response.headers.get('x-switchyard-cache'), second.response.headers.get('x-switchyard-cache')]).toEqual(['MISS', 'HIT']);
    expect(second.data).toEqual(first.data);
    const streamBody = { ...body, input: fresh('responses stream') };
    const live = await client.responses.stream(streamBody).finalResponse();
    const replayed = await client.responses.stream(streamBody).finalResponse();
    expect(replayed).toEqual(live);
    expect(chatCalls()).toBe(2);
  });

  it('caches Anthropic Messages (native), streamed and not, for the official SDK', async () => {
    const anthropicClient = new Anthropic({ apiKey: TEST_MASTER_KEY, baseURL: gateway.url, maxRetries: 0 });
    const params = { model: `anthropic/${CLAUDE}`, max_tokens: 64, temperature: 0, messages: [{ role: 'user' as const, content: fresh('claude') }] };
    const first = await anthropicClient.messages.create(params).withResponse();
    const second = await anthropicClient.messages.create(params).withResponse();
    expect([first.response.headers.get('x-switchyard-cache'), second.response.headers.get('x-switchyard-cache')]).toEqual(['MISS', 'HIT']);
    expect(second.data).toEqual(first.data);

    const streamed = { ...params, messages: [{ role: 'user' as const, content: fresh('claude stream') }] };
    const live = await anthropicClient.messages.stream(streamed).finalMessage();
    const replayed = await anthropicClient.messages.stream(streamed).finalMessage();
    expect(replayed).toEqual(live);
    expect(anthropic.messageRequests).toHaveLength(2);
  });

  const admin = async (method: string, path: string, key = TEST_MASTER_KEY) => {
    const response = await fetch(`${gateway.url}/admin/cache${path}`, { method, headers: { authorization: `Bearer ${key}` } });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('reports hit rate, saved tokens and saved cost by model (GET /admin/cache/overview)', async () => {
    const body = chat(fresh('overview'));
    await client.chat.completions.create(body);
    await client.chat.completions.create(body);
    await gateway.app.get(UsageWriter).flush();
    const { status, body: overview } = await admin('GET', '/overview?window=1h');
    expect(status).toBe(200);
    const line = overview.models.find((model: any) => model.provider === 'openai' && model.model === 'gpt-4o-mini');
    expect(line.hits).toBeGreaterThanOrEqual(1);
    expect(line.hit_rate).toBeGreaterThan(0);
    expect(line.saved_tokens).toBeGreaterThan(0);
    expect(line.saved_cost_micros).toBeGreaterThan(0);
    expect(overview).toMatchObject({ object: 'cache.overview', hits: expect.any(Number), saved_cost_micros: expect.any(Number) });
    const bad = await admin('GET', '/overview?window=forever');
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('window');
  });

  it('deletes one model’s entries, then all (DELETE /admin/cache), and documents both routes', async () => {
    const mini = chat(fresh('invalidate mini'));
    const embedding = { model: 'openai/text-embedding-3-small', input: fresh('invalidate embedding') };
    await client.chat.completions.create(mini);
    await client.embeddings.create(embedding);
    const verdicts = async () => [
      (await client.chat.completions.create(mini).withResponse()).response.headers.get('x-switchyard-cache'),
      (await client.embeddings.create(embedding).withResponse()).response.headers.get('x-switchyard-cache'),
    ];
    expect(await verdicts()).toEqual(['HIT', 'HIT']);
    const byModel = await admin('DELETE', '?model=openai/gpt-4o-mini');
    expect(byModel).toMatchObject({ status: 200, body: { object: 'cache.deleted', model: 'openai/gpt-4o-mini' } });
    expect(byModel.body.deleted).toBeGreaterThanOrEqual(1);
    expect(await verdicts()).toEqual(['MISS', 'HIT']);
    expect((await admin('DELETE', '')).body).toMatchObject({ object: 'cache.deleted', model: null });
    expect(await verdicts()).toEqual(['MISS', 'MISS']);

    const document = (await (await fetch(`${gateway.url}/swagger/json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(document.paths['/admin/cache'])).toEqual(['delete']);
    expect(Object.keys(document.paths['/admin/cache/overview'])).toEqual(['get']);
  });

  it('counts verdicts and saved tokens in /metrics', async () => {
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/switchyard_cache_requests_total\{result="HIT"\} [1-9]/);
    expect(metrics).toMatch(/switchyard_cache_requests_total\{result="MISS"\} [1-9]/);
    expect(metrics).toMatch(/switchyard_cache_saved_tokens_total\{kind="output"\} [1-9]/);
  });
});

describe('response cache off (the default)', () => {
  it('adds no X-Switchyard-Cache header and sends every request upstream', async () => {
    const upstream = await FakeOpenAIUpstream.start({ apiKey: OPENAI_KEY, models: ['gpt-4o-mini'] });
    const gateway = await startTestGateway({ OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: upstream.baseUrl });
    try {
      const client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
      const body = { model: 'openai/gpt-4o-mini', temperature: 0, messages: [{ role: 'user' as const, content: 'same' }] };
      const first = await client.chat.completions.create(body).withResponse();
      const second = await client.chat.completions.create(body).withResponse();
      expect([first.response.headers.get('x-switchyard-cache'), second.response.headers.get('x-switchyard-cache')]).toEqual([null, null]);
      expect(upstream.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(2);
    } finally {
      await gateway.close();
      await upstream.close();
    }
  });
});
