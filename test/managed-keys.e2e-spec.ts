import { Writable } from 'node:stream';
import OpenAI from 'openai';
import { UsageRepository, UsageWriter } from '@app/storage';
import { FakeAnthropicUpstream } from './support/fake-anthropic';
import { FakeOpenAIUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';
import { apiError, SDKS } from './support/messages/sdk-clients';

const SONNET = 'claude-sonnet-4-5-20250929';
const HAIKU = 'claude-haiku-4-5-20251001';
const ROUTING = 'aliases:\n  smart:\n    targets: [openai/gpt-4o]\n  cheap:\n    targets: [openai/gpt-4o-mini]\n';
const USER = [{ role: 'user' as const, content: 'hi' }];

interface KeyObject {
  id: string;
  value?: string;
  redacted_value: string;
  [field: string]: unknown;
}

describe('managed API keys (admin API, SDK clients, model access, user paths)', () => {
  let openai: FakeOpenAIUpstream;
  let anthropic: FakeAnthropicUpstream;
  let gateway: TestGateway;
  const logs: string[] = [];
  const secrets: string[] = [];

  beforeAll(async () => {
    openai = await FakeOpenAIUpstream.start({ apiKey: 'sk-openai-upstream' });
    anthropic = await FakeAnthropicUpstream.start({ apiKey: 'sk-ant-upstream' });
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(chunk.toString('utf8'));
        done();
      },
    });
    gateway = await startTestGateway(
      {
        LOG_LEVEL: 'debug',
        OPENAI_API_KEY: 'sk-openai-upstream',
        OPENAI_BASE_URL: openai.baseUrl,
        ANTHROPIC_API_KEY: 'sk-ant-upstream',
        ANTHROPIC_BASE_URL: anthropic.url,
        UPSTREAM_MAX_RETRIES: '0',
      },
      { routingYaml: ROUTING, logDestination: destination },
    );
  });

  afterAll(async () => {
    await gateway?.close();
    await anthropic?.close();
    await openai?.close();
  });

  async function admin(method: string, path: string, body?: unknown, key = TEST_MASTER_KEY): Promise<{ status: number; body: any }> {
    const response = await fetch(`${gateway.url}/admin/auth-keys${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  async function createKey(body: Record<string, unknown>): Promise<KeyObject & { value: string }> {
    const created = await admin('POST', '', body);
    expect(created.status).toBe(201);
    secrets.push(created.body.value);
    return created.body;
  }

  const openaiClient = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });

  it('creates a key, shows its secret once, and never again (get, list)', async () => {
    const key = await createKey({ name: 'search', description: 'search backend', user_path: '/acme/search', models: ['openai/*'], limits: { requests_per_minute: 60 } });
    expect(key.value).toMatch(/^sk-sy-[A-Za-z0-9_-]{43}$/);
    expect(key).toMatchObject({ object: 'auth_key', name: 'search', description: 'search backend', user_path: '/acme/search', models: ['openai/*'], scopes: ['inference'] });
    expect(key).toMatchObject({ limits: { requests_per_minute: 60 }, active: true, expires_at: null, last_used_at: null, redacted_value: `sk-sy-…${key.value.slice(-4)}` });
    expect(Date.parse(key.created_at as string)).not.toBeNaN();

    const fetched = await admin('GET', `/${key.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body.value).toBeUndefined();
    const list = await admin('GET', '?limit=100');
    expect(list.body).toMatchObject({ object: 'list', has_more: false });
    expect(list.body.data.map((entry: KeyObject) => entry.id)).toContain(key.id);
    expect(JSON.stringify(list.body)).not.toContain(key.value);
    expect(JSON.stringify(fetched.body)).not.toContain(key.value);
  });

  it('pages the list newest first with limit and after', async () => {
    const first = await createKey({ name: 'page-1' });
    // Ids sort by their creation millisecond; two keys in one millisecond have no order between them.
    await new Promise((done) => setTimeout(done, 5));
    const second = await createKey({ name: 'page-2' });
    const page = await admin('GET', '?limit=1');
    expect(page.body).toMatchObject({ has_more: true, first_id: second.id, last_id: second.id });
    const next = await admin('GET', `?limit=1&after=${second.id}`);
    expect(next.body.data[0].id).toBe(first.id);
  });

  it('answers 404 for an unknown id and 400 naming the field for a bad body', async () => {
    const missing = await admin('GET', '/key_nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ type: 'invalid_request_error', param: 'id' });
    expect((await admin('POST', '/key_nope/deactivate')).status).toBe(404);
    for (const [body, param] of [
      [{}, 'name'],
      [{ name: 'x', scopes: ['root'] }, 'scopes'],
      [{ name: 'x', models: 'openai/*' }, 'models'],
      [{ name: 'x', user_path: '/a/../b' }, 'user_path'],
      [{ name: 'x', expires_at: 'tomorrow' }, 'expires_at'],
      [{ name: 'x', limits: { max_parallel: 0 } }, 'limits.max_parallel'],
      [{ name: 'x', budget: { usd: 5 } }, 'budget'],
    ] as const) {
      const refused = await admin('POST', '', body);
      expect([refused.status, refused.body.error?.param]).toEqual([400, param]);
    }
    const key = await createKey({ name: 'patch-me' });
    const patched = await admin('PATCH', `/${key.id}`, { name: null });
    expect([patched.status, patched.body.error.param]).toEqual([400, 'name']);
  });

  describe('a key limited to some models', () => {
    let key: KeyObject & { value: string };

    beforeAll(async () => {
      key = await createKey({ name: 'limited', user_path: '/acme/search', models: ['openai/*', `anthropic/claude-sonnet-*`, 'smart'] });
    });

    it('serves chat (Bearer), messages (both Anthropic SDKs: Bearer and x-api-key) and Azure-style api-key', async () => {
      const chat = await openaiClient(key.value).chat.completions.create({ model: 'gpt-4o-mini', messages: USER });
      expect(chat.choices[0].message.content).toBeTruthy();
      for (const sdk of SDKS) {
        const message = await sdk.create(gateway.url, key.value).client.messages.create({ model: `anthropic/${SONNET}`, max_tokens: 16, messages: USER });
        expect(message.type).toBe('message');
      }
      const azure = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'api-key': key.value, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'smart', messages: USER }),
      });
      expect(azure.status).toBe(200);
    });

    it('refuses other models with a typed 403 model_not_allowed on every route that names one', async () => {
      const client = openaiClient(key.value);
      for (const call of [
        client.chat.completions.create({ model: `anthropic/${HAIKU}`, messages: USER }),
        client.chat.completions.create({ model: 'cheap', messages: USER }),
        client.embeddings.create({ model: `anthropic/${HAIKU}`, input: 'x' }),
        client.responses.create({ model: `anthropic/${HAIKU}`, input: 'x' }),
        client.responses.create({ model: `anthropic/${HAIKU}`, input: 'x', background: true }),
        client.responses.inputTokens.count({ model: `anthropic/${HAIKU}`, input: 'x' }),
      ]) {
        const error = await call.then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
        expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
        expect((error as InstanceType<typeof OpenAI.PermissionDeniedError>).code).toBe('model_not_allowed');
      }
      for (const sdk of SDKS) {
        const { client: messages } = sdk.create(gateway.url, key.value);
        for (const call of [
          messages.messages.create({ model: `anthropic/${HAIKU}`, max_tokens: 8, messages: USER }),
          messages.messages.countTokens({ model: HAIKU, messages: USER }),
        ]) {
          const error = await apiError(call);
          expect(sdk.isTyped(error, 'PermissionDeniedError')).toBe(true);
          expect(error.error).toMatchObject({ type: 'error', error: { type: 'permission_error' } });
        }
      }
      const passthrough = await fetch(`${gateway.url}/p/anthropic/v1/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key.value}`, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: HAIKU, max_tokens: 8, messages: USER }),
      });
      expect(passthrough.status).toBe(403);
      // A streamed body could name any model: refused to a key limited to some.
      const streamed = await fetch(`${gateway.url}/p/openai/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key.value}`, 'content-type': 'application/json' },
        body: new Blob([JSON.stringify({ model: 'gpt-4o', messages: USER })]).stream(),
        duplex: 'half',
      });
      expect([streamed.status, ((await streamed.json()) as { error: { code: string } }).error.code]).toEqual([403, 'model_not_allowed']);
      const allowed = await fetch(`${gateway.url}/p/openai/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key.value}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', messages: USER }),
      });
      expect(allowed.status).toBe(200);
    });

    it('hides those models from models.list() in both shapes, and from retrieve', async () => {
      const ids = [];
      for await (const model of openaiClient(key.value).models.list()) ids.push(model.id);
      expect(ids).toEqual(expect.arrayContaining(['openai/gpt-4o', 'openai/gpt-4o-mini', `anthropic/${SONNET}`, 'smart']));
      expect(ids).not.toContain(`anthropic/${HAIKU}`);
      expect(ids).not.toContain('cheap');
      const everything = [];
      for await (const model of openaiClient(TEST_MASTER_KEY).models.list()) everything.push(model.id);
      expect(everything).toEqual(expect.arrayContaining([`anthropic/${HAIKU}`, 'cheap']));
      for (const sdk of SDKS) {
        const anthropicIds = [];
        for await (const model of sdk.create(gateway.url, key.value).client.models.list()) anthropicIds.push(model.id);
        expect(anthropicIds).toContain(`anthropic/${SONNET}`);
        expect(anthropicIds).not.toContain(`anthropic/${HAIKU}`);
      }
      await expect(openaiClient(key.value).models.retrieve(`anthropic/${HAIKU}`)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    });

    it('records usage under its user path, lets a request narrow it, and refuses any other path with 403', async () => {
      const client = openaiClient(key.value);
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: USER }, { headers: { 'X-Request-ID': 'mk-own-path' } });
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: USER }, { headers: { 'X-Request-ID': 'mk-narrowed', 'X-Switchyard-User-Path': '/acme/search/bot' } });
      await gateway.app.get(UsageWriter).flush();
      const usage = gateway.app.get(UsageRepository);
      expect(await usage.findByRequestId('mk-own-path')).toMatchObject({ keyId: key.id, userPath: '/acme/search' });
      expect(await usage.findByRequestId('mk-narrowed')).toMatchObject({ keyId: key.id, userPath: '/acme/search/bot' });
      const error = await client.chat.completions
        .create({ model: 'gpt-4o-mini', messages: USER }, { headers: { 'X-Switchyard-User-Path': '/other' } })
        .catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
      expect((error as InstanceType<typeof OpenAI.PermissionDeniedError>).code).toBe('user_path_not_allowed');
    });
  });

  it('refuses /admin/* to an inference-only key (403) and serves it to an admin-scoped key', async () => {
    const inference = await createKey({ name: 'inference-only' });
    const refused = await admin('GET', '', undefined, inference.value);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'insufficient_scope']);
    expect((await admin('POST', '', { name: 'sneaky' }, inference.value)).status).toBe(403);
    const operator = await createKey({ name: 'operator', scopes: ['admin', 'inference'] });
    expect((await admin('GET', '', undefined, operator.value)).status).toBe(200);
  });

  it('refuses a deactivated key with 401 (AuthenticationError) at once', async () => {
    const key = await createKey({ name: 'short-lived' });
    const client = openaiClient(key.value);
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: USER });
    const deactivated = await admin('POST', `/${key.id}/deactivate`);
    expect(deactivated.body).toMatchObject({ id: key.id, active: false });
    const started = Date.now();
    await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages: USER })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    expect(Date.now() - started).toBeLessThan(1_000);
    const { client: messages } = SDKS[1].create(gateway.url, key.value);
    const error = await apiError(messages.messages.create({ model: `anthropic/${SONNET}`, max_tokens: 8, messages: USER }));
    expect([error.status, error.error.type, error.error.error.type]).toEqual([401, 'error', 'authentication_error']);
  });

  it('refuses an expired key with 401, whether it expired by itself or was patched to', async () => {
    const soon = await createKey({ name: 'expiring', expires_at: new Date(Date.now() + 1_000).toISOString() });
    const client = openaiClient(soon.value);
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: USER });
    await new Promise((done) => setTimeout(done, 1_100));
    await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages: USER })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);

    const later = await createKey({ name: 'patched' });
    await openaiClient(later.value).chat.completions.create({ model: 'gpt-4o-mini', messages: USER });
    const patched = await admin('PATCH', `/${later.id}`, { expires_at: new Date(Date.now() - 1_000).toISOString(), models: ['cheap'] });
    expect(patched.body).toMatchObject({ models: ['cheap'] });
    const error = await openaiClient(later.value)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: USER })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('expired_api_key');
  });

  it('documents the admin routes in the OpenAPI document', async () => {
    const document = (await (await fetch(`${gateway.url}/swagger/json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(document.paths['/admin/auth-keys']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(document.paths['/admin/auth-keys/{id}']).sort()).toEqual(['get', 'patch']);
    expect(Object.keys(document.paths['/admin/auth-keys/{id}/deactivate'])).toEqual(['post']);
  });

  it('never writes a secret to the logs', () => {
    expect(secrets.length).toBeGreaterThan(5);
    const all = logs.join('');
    expect(all.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(all).not.toContain(secret);
  });
});
