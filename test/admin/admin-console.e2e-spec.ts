import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { AuditWriter, UsageWriter } from '@app/storage';
import { FakeAnthropicUpstream } from '../support/fake-anthropic';
import { FakeOpenAIUpstream } from '../support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from '../support/gateway-harness';
import { CALLERS, CONSOLE_ROUTES } from './admin-scopes';

const CLAUDE = 'claude-sonnet-4-5-20250929';
const ROUTING = `
aliases:
  primary:
    targets: [openai/gpt-4o]
    fallbacks: [groq/gpt-4o-mini]
`;
const ask = (model: string) => ({ model, messages: [{ role: 'user' as const, content: 'Say hi' }] });
const ADMIN = { authorization: `Bearer ${TEST_MASTER_KEY}` };

describe('operator console admin API', () => {
  let openai: FakeOpenAIUpstream;
  let groq: FakeOpenAIUpstream;
  let anthropic: FakeAnthropicUpstream;
  let gateway: TestGateway;
  let client: OpenAI;

  async function admin<T = Record<string, unknown>>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
    const response = await fetch(`${gateway.url}${path}`, { ...init, headers: { ...ADMIN, ...init.headers } });
    return { status: response.status, body: (await response.json()) as T };
  }

  async function flushed(): Promise<void> {
    await Promise.all([gateway.app.get(UsageWriter).flush(), gateway.app.get(AuditWriter).flush()]);
  }

  beforeAll(async () => {
    openai = await FakeOpenAIUpstream.start({ models: ['gpt-4o', 'gpt-4o-mini'] });
    groq = await FakeOpenAIUpstream.start({ models: ['gpt-4o-mini'] });
    anthropic = await FakeAnthropicUpstream.start();
    gateway = await startTestGateway(
      {
        OPENAI_API_KEY: 'sk-openai-console-test-key',
        OPENAI_BASE_URL: openai.baseUrl,
        GROQ_API_KEY: 'gsk-groq-console-test',
        GROQ_BASE_URL: groq.baseUrl,
        ANTHROPIC_API_KEY: 'sk-ant-console-test-key',
        ANTHROPIC_BASE_URL: anthropic.url,
        UPSTREAM_MAX_RETRIES: '0',
        AUDIT_CLIENT_IP_HEADER: 'x-forwarded-for',
      },
      { routingYaml: ROUTING },
    );
    client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    // The traffic every test below reads back.
    await client.chat.completions.create(ask('openai/gpt-4o'), {
      headers: { 'X-Request-ID': 'console-chat', 'X-Switchyard-User-Path': 'acme/alice', 'X-Forwarded-For': '203.0.113.7, 10.0.0.1' },
    });
    const stream = await client.chat.completions.create(
      { ...ask('openai/gpt-4o-mini'), stream: true, stream_options: { include_usage: true } },
      { headers: { 'X-Request-ID': 'console-stream' } },
    );
    for await (const chunk of stream) void chunk;
    const claude = new Anthropic({ apiKey: TEST_MASTER_KEY, baseURL: gateway.url, maxRetries: 0 });
    await claude.messages.create({ model: `anthropic/${CLAUDE}`, max_tokens: 32, messages: [{ role: 'user', content: 'Hi' }] }, { headers: { 'X-Request-ID': 'console-claude' } });
    openai.enqueue({ kind: 'status', status: 503 });
    await client.chat.completions.create(ask('primary'), { headers: { 'X-Request-ID': 'console-failover' } });
    openai.enqueue({ kind: 'status', status: 400 });
    await client.chat.completions.create(ask('openai/gpt-4o'), { headers: { 'X-Request-ID': 'console-error' } }).catch(() => undefined);
    await flushed();
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([openai?.close(), groq?.close(), anthropic?.close()]);
  });

  describe.each(CALLERS)('called with $name', ({ headers, refusedWith }) => {
    it.each(CONSOLE_ROUTES)(`$method $path ${refusedWith ? `is refused with ${refusedWith}` : 'is served'}`, async ({ method, path }) => {
      const controller = new AbortController();
      const response = await fetch(`${gateway.url}${path}`, { method, headers, signal: controller.signal });
      if (refusedWith) {
        expect(response.status).toBe(refusedWith);
        expect(await response.json()).toMatchObject({ error: { type: expect.any(String), message: expect.any(String) } });
      } else {
        // The two audit lookups name an entry that does not exist: 404 in the OpenAI envelope.
        expect(response.status).toBe(path.includes('/admin/audit/0000') ? 404 : 200);
      }
      controller.abort();
      await response.body?.cancel().catch(() => undefined);
    });
  });

  it('sums the requests in the usage summary, per model, per user path and per key', async () => {
    const summary = await admin('/admin/usage/summary?days=1');
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ object: 'usage.summary', requests: 5, errors: 1 });
    expect(summary.body.input_tokens).toBeGreaterThan(0);
    const models = await admin<{ data: Array<Record<string, unknown>> }>('/admin/usage/models?days=1');
    expect(models.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ provider: 'openai', model: 'gpt-4o', requests: 2, errors: 1 }),
        expect.objectContaining({ provider: 'anthropic', model: CLAUDE, requests: 1 }),
        expect.objectContaining({ provider: 'groq', model: 'gpt-4o-mini', requests: 1 }),
      ]),
    );
    const paths = await admin<{ data: Array<Record<string, unknown>> }>('/admin/usage/user-paths?days=1');
    expect(paths.body.data).toEqual(expect.arrayContaining([expect.objectContaining({ user_path: '/acme/alice', requests: 1 })]));
    const keys = await admin<{ data: Array<Record<string, unknown>> }>('/admin/usage/keys?days=1');
    expect(keys.body.data).toEqual([expect.objectContaining({ key_id: 'master', requests: 5 })]);
  });

  it('folds the hours into local days, weeks and months', async () => {
    const daily = await admin<{ data: Array<{ period: string; requests: number }>; tz: string }>('/admin/usage/daily?days=90&tz=Pacific/Kiritimati');
    expect(daily.body.tz).toBe('Pacific/Kiritimati');
    expect(daily.body.data.reduce((sum, day) => sum + day.requests, 0)).toBe(5);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati' }).format(new Date());
    expect(daily.body.data.map((day) => day.period)).toContain(today);
    const monthly = await admin<{ data: Array<{ period: string }> }>('/admin/usage/daily?interval=monthly');
    expect(monthly.body.data[0].period).toMatch(/^\d{4}-\d{2}-01$/);
    expect((await admin('/admin/usage/daily?interval=hourly')).body).toMatchObject({ error: { param: 'interval' } });
    expect((await admin('/admin/usage/daily?tz=Mars/Olympus')).body).toMatchObject({ error: { param: 'tz' } });
  });

  it('lists raw usage rows with filters and keyset pages', async () => {
    const filtered = await admin<{ data: Array<Record<string, unknown>> }>('/admin/usage/log?model=gpt-4o&status=error');
    expect(filtered.body.data).toEqual([expect.objectContaining({ request_id: 'console-error', status: 400 })]);
    const first = await admin<{ data: Array<{ request_id: string }>; has_more: boolean; next_cursor: string }>('/admin/usage/log?limit=2');
    expect(first.body).toMatchObject({ object: 'list', has_more: true });
    const second = await admin<{ data: Array<{ request_id: string }> }>(`/admin/usage/log?limit=2&cursor=${first.body.next_cursor}`);
    const seen = [...first.body.data, ...second.body.data].map((row) => row.request_id);
    expect(new Set(seen).size).toBe(4);
    expect((await admin('/admin/usage/log?cursor=bm9wZQ')).body).toMatchObject({ error: { param: 'cursor' } });
    expect((await admin('/admin/usage/log?request_id=console-claude')).body).toMatchObject({ data: [{ provider: 'anthropic' }] });
  });

  it('audits every request with who, what answered, failover attempts, status and client address', async () => {
    const log = await admin<{ data: Array<Record<string, unknown>> }>('/admin/audit/log?limit=200');
    const byId = new Map(log.body.data.map((entry) => [entry.request_id, entry]));
    expect(byId.get('console-chat')).toMatchObject({
      key_id: 'master',
      user_path: '/acme/alice',
      method: 'POST',
      route: '/v1/chat/completions',
      path: '/v1/chat/completions',
      requested_model: 'openai/gpt-4o',
      provider: 'openai',
      model: 'gpt-4o',
      status: 200,
      client_ip: '203.0.113.7',
    });
    expect(byId.get('console-stream')).toMatchObject({ stream: true, status: 200 });
    expect(byId.get('console-claude')).toMatchObject({ route: '/v1/messages', provider: 'anthropic', status: 200 });
    expect(byId.get('console-failover')).toMatchObject({ provider: 'groq', model: 'gpt-4o-mini', attempts: ['openai/gpt-4o', 'groq/gpt-4o-mini'], status: 200 });
    expect(byId.get('console-error')).toMatchObject({ status: 400, error_type: expect.any(String), error_message: expect.any(String) });
    // Nest routes too: an admin call made above, by its route template.
    expect(log.body.data).toEqual(expect.arrayContaining([expect.objectContaining({ route: '/admin/usage/summary', method: 'GET', status: 200 })]));
    const filtered = await admin<{ data: Array<Record<string, unknown>> }>('/admin/audit/log?provider=groq');
    expect(filtered.body.data.map((entry) => entry.request_id)).toEqual(['console-failover']);
    const full = await admin(`/admin/audit/${String(byId.get('console-chat')!.id)}`);
    // Bodies are off by default.
    expect(full.body).toMatchObject({ object: 'audit.entry', request_id: 'console-chat', request_body: null, response_body: null, request_headers: null });
  });

  it('reports provider status, refreshes the runtime, and shows the config without a secret', async () => {
    const status = await admin<{ data: Array<Record<string, unknown>> }>('/admin/providers/status');
    expect(status.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'openai',
          type: 'openai',
          model_count: 2,
          models_source: 'upstream',
          circuit: expect.objectContaining({ state: 'closed' }),
          last_5m: expect.objectContaining({ requests: expect.any(Number) }),
        }),
      ]),
    );
    const openaiStatus = status.body.data.find((provider) => provider.name === 'openai') as { last_5m: { requests: number; errors: number }; last_refresh_at: string };
    // chat, stream, the 400, and the attempt the failover left (an error, as is the 400).
    expect(openaiStatus.last_5m).toMatchObject({ requests: 4, errors: 2 });
    expect(openaiStatus.last_refresh_at).toEqual(expect.any(String));
    const refresh = await admin('/admin/runtime/refresh', { method: 'POST' });
    expect(refresh.body).toMatchObject({ object: 'runtime.refresh', ok: true, steps: [{ step: 'models', ok: true }] });
    const config = await fetch(`${gateway.url}/admin/runtime/config`, { headers: ADMIN }).then((response) => response.text());
    for (const secret of [TEST_MASTER_KEY, 'sk-openai-console-test-key', 'gsk-groq-console-test', 'sk-ant-console-test-key']) expect(config).not.toContain(secret);
    expect(JSON.parse(config)).toMatchObject({ object: 'runtime.config', config: { masterKey: '[redacted]', audit: { bodies: 'off' } } });
    const models = await admin<{ data: Array<Record<string, unknown>> }>('/admin/models');
    expect(models.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'openai/gpt-4o', kind: 'model', routes: ['primary'] }),
        expect.objectContaining({ id: 'primary', kind: 'alias', routes: ['openai/gpt-4o', 'groq/gpt-4o-mini'] }),
      ]),
    );
  });
});
