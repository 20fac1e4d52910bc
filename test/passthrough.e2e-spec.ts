import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { UsageRepository, UsageWriter } from '@app/storage';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';
import { bodyOf, rawRequest, RecordingUpstream, replyJson } from './support/passthrough';

const UPSTREAM_KEY = 'sk-upstream-secret';
const EAST_KEY = 'sk-east-secret';
const CLIENT_SECRETS = ['client-x-api-key', 'client-api-key', 'client-goog-key', 'session=client-cookie', 'proxy-secret'];
const AUTH = { authorization: `Bearer ${TEST_MASTER_KEY}` };

describe('/p/{provider}/… native passthrough', () => {
  let upstream: RecordingUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await RecordingUpstream.start();
    gateway = await startTestGateway({
      OPENAI_API_KEY: UPSTREAM_KEY,
      OPENAI_BASE_URL: `${upstream.origin}/v1`,
      OPENAI_EAST_API_KEY: EAST_KEY,
      OPENAI_EAST_BASE_URL: `${upstream.origin}/east/v1`,
      // A base URL without /v1: the client's v1/ must then be kept.
      VLLM_API_KEY: 'sk-vllm',
      VLLM_BASE_URL: upstream.origin,
      GROQ_API_KEY: 'gsk-groq',
      GROQ_BASE_URL: `${upstream.origin}/openai/v1`,
      ANTHROPIC_API_KEY: 'sk-ant-provider',
      ANTHROPIC_BASE_URL: upstream.origin,
      PASSTHROUGH_PROVIDERS: 'openai,vllm,anthropic',
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  beforeEach(() => upstream.reset());

  async function usageRow(requestId: string) {
    await gateway.app.get(UsageWriter).flush();
    return gateway.app.get(UsageRepository).findByRequestId(requestId);
  }

  describe('forwarding', () => {
    it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'])('keeps method, path and query of a %s', async (method) => {
      const body = ['POST', 'PUT', 'PATCH'].includes(method) ? 'opaque-bytes' : undefined;
      const answer = await rawRequest(`${gateway.url}/p/openai/v1/files/file-abc/content?limit=2&order=desc`, method, { ...AUTH, 'content-type': 'text/plain' }, body);
      expect(answer.status).toBe(200);
      expect(upstream.calls).toHaveLength(1);
      expect(upstream.calls[0]).toMatchObject({ method, url: '/v1/files/file-abc/content?limit=2&order=desc' });
      expect(bodyOf(upstream.calls[0]).toString()).toBe(body ?? '');
      expect(upstream.calls[0].headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    });

    it('accepts the path with or without a leading v1/ when the base URL ends in /v1', async () => {
      await rawRequest(`${gateway.url}/p/openai/v1/models`, 'GET', AUTH);
      await rawRequest(`${gateway.url}/p/openai/models`, 'GET', AUTH);
      expect(upstream.calls.map((call) => call.url)).toEqual(['/v1/models', '/v1/models']);
    });

    it('keeps v1/ when the base URL does not end in /v1', async () => {
      await rawRequest(`${gateway.url}/p/vllm/v1/models`, 'GET', AUTH);
      expect(upstream.calls[0].url).toBe('/v1/models');
      expect(upstream.calls[0].headers.authorization).toBe('Bearer sk-vllm');
    });

    it('reaches an instance by its name and a type by its first instance, each with its own key', async () => {
      await rawRequest(`${gateway.url}/p/openai-east/v1/models`, 'GET', AUTH);
      expect(upstream.calls[0]).toMatchObject({ url: '/east/v1/models' });
      expect(upstream.calls[0].headers.authorization).toBe(`Bearer ${EAST_KEY}`);
    });

    it('works for the official openai SDK pointed at /p/openai/v1', async () => {
      upstream.enqueue(replyJson(200, { object: 'list', data: [{ id: 'gpt-4o', object: 'model', created: 1, owned_by: 'openai' }] }));
      const client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/p/openai/v1`, maxRetries: 0 });
      const page = await client.models.list();
      expect(page.data.map((model) => model.id)).toEqual(['gpt-4o']);
      expect(upstream.calls[0].headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    });
  });

  it('is documented in the OpenAPI document for every method', async () => {
    const document = (await (await fetch(`${gateway.url}/swagger/json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(document.paths['/p/{provider}']).sort()).toEqual(['delete', 'get', 'head', 'options', 'patch', 'post', 'put']);
  });

  describe('header hygiene', () => {
    it('strips client credentials, cookies, hop-by-hop and proxy headers; forwards the rest and X-Request-ID', async () => {
      await rawRequest(`${gateway.url}/p/openai/v1/models`, 'GET', {
        ...AUTH,
        'x-api-key': 'client-x-api-key',
        'api-key': 'client-api-key',
        'x-goog-api-key': 'client-goog-key',
        cookie: 'session=client-cookie',
        connection: 'keep-alive, x-hop-secret',
        'x-hop-secret': 'listed-in-connection',
        'keep-alive': 'timeout=5',
        'proxy-authorization': 'Basic proxy-secret',
        te: 'trailers',
        forwarded: 'for=10.0.0.1',
        'x-forwarded-for': '10.0.0.1',
        'x-forwarded-host': 'client.example',
        'x-real-ip': '10.0.0.1',
        'x-switchyard-user-path': 'team/alice',
        'x-request-id': 'pt-hygiene-1',
        'openai-beta': 'assistants=v2',
        'x-custom': 'kept',
      });
      const received = upstream.calls[0].headers;
      expect(received.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
      for (const name of [
        'x-api-key',
        'api-key',
        'x-goog-api-key',
        'cookie',
        'x-hop-secret',
        'keep-alive',
        'proxy-authorization',
        'te',
        'forwarded',
        'x-forwarded-for',
        'x-forwarded-host',
        'x-real-ip',
        'x-switchyard-user-path',
      ]) {
        expect(received[name]).toBeUndefined();
      }
      expect(received.host).toBe(new URL(upstream.origin).host);
      expect(received).toMatchObject({ 'x-request-id': 'pt-hygiene-1', 'openai-beta': 'assistants=v2', 'x-custom': 'kept' });
      const everything = JSON.stringify(received);
      for (const secret of [TEST_MASTER_KEY, ...CLIENT_SECRETS]) expect(everything).not.toContain(secret);
    });

    it('strips every other credential-shaped header and query parameter a client sends', async () => {
      const secrets = { 'anthropic-api-key': 'cs-1', 'openai-api-key': 'cs-2', 'x-amz-security-token': 'cs-3', 'x-auth-token': 'cs-4', 'x-access-token': 'cs-5' };
      await rawRequest(`${gateway.url}/p/openai-east/v1/models?limit=2&api_key=cq-1&key=cq-2&%6bey=cq-3&access_token=cq-4&after=m1`, 'GET', {
        ...AUTH,
        ...secrets,
        'idempotency-key': 'idem-kept',
      });
      expect(upstream.calls).toHaveLength(1);
      const call = upstream.calls[0];
      expect(call.url).toBe('/east/v1/models?limit=2&after=m1');
      expect(call.headers.authorization).toBe(`Bearer ${EAST_KEY}`);
      expect(call.headers['idempotency-key']).toBe('idem-kept');
      const everything = JSON.stringify(call.headers) + call.url;
      for (const secret of ['cs-1', 'cs-2', 'cs-3', 'cs-4', 'cs-5', 'cq-1', 'cq-2', 'cq-3', 'cq-4']) expect(everything).not.toContain(secret);
    });

    it('passes back status, body and headers except Set-Cookie and hop-by-hop ones', async () => {
      upstream.enqueue(
        replyJson(
          201,
          { id: 'obj_1' },
          {
            'set-cookie': ['__cf_bm=upstream; Path=/', 'other=1'],
            'x-ratelimit-remaining-requests': '4999',
            'openai-processing-ms': '12',
            'x-request-id': 'req_upstream_1',
            connection: 'keep-alive, x-upstream-hop',
            'x-upstream-hop': 'hop-value',
            'keep-alive': 'timeout=77, max=9',
          },
        ),
      );
      const answer = await rawRequest(`${gateway.url}/p/openai/v1/things`, 'POST', { ...AUTH, 'x-request-id': 'pt-resp-1', 'content-type': 'application/json' }, '{}');
      expect(answer.status).toBe(201);
      expect(JSON.parse(answer.body)).toEqual({ id: 'obj_1' });
      expect(answer.headers['set-cookie']).toBeUndefined();
      expect(answer.headers['x-upstream-hop']).toBeUndefined();
      expect(answer.headers['keep-alive']).not.toBe('timeout=77, max=9');
      expect(answer.headers).toMatchObject({ 'content-type': 'application/json', 'x-ratelimit-remaining-requests': '4999', 'openai-processing-ms': '12' });
      // The gateway's request id wins; the provider's stays visible beside it.
      expect(answer.headers['x-request-id']).toBe('pt-resp-1');
      expect(answer.headers['x-upstream-request-id']).toBe('req_upstream_1');
    });

    it('relays upstream error statuses and bodies as the provider sent them', async () => {
      const error = { error: { message: 'No such File object: file-nope', type: 'invalid_request_error', param: 'id', code: null } };
      upstream.enqueue(replyJson(404, error, { 'x-ratelimit-limit-requests': '5000' }));
      const answer = await rawRequest(`${gateway.url}/p/openai/v1/files/file-nope`, 'GET', AUTH);
      expect(answer.status).toBe(404);
      expect(answer.body).toBe(JSON.stringify(error));
      expect(answer.headers['x-ratelimit-limit-requests']).toBe('5000');
    });
  });

  describe('retries', () => {
    const overloaded = { error: { message: 'The engine is currently overloaded', type: 'server_error' } };

    it('retries an idempotent GET on 503, invisibly', async () => {
      upstream.enqueue(replyJson(503, overloaded), replyJson(200, { ok: 'second' }));
      const answer = await rawRequest(`${gateway.url}/p/openai/v1/models`, 'GET', AUTH);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ ok: 'second' });
      expect(upstream.calls).toHaveLength(2);
    });

    it("relays the provider's own answer once the retries run out", async () => {
      upstream.enqueue(replyJson(503, overloaded), replyJson(503, overloaded), replyJson(503, overloaded));
      const answer = await rawRequest(`${gateway.url}/p/openai/v1/models`, 'GET', AUTH);
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.body)).toEqual(overloaded);
      expect(upstream.calls).toHaveLength(3);
    });

    it('does not retry a POST without Idempotency-Key', async () => {
      upstream.enqueue(replyJson(503, overloaded), replyJson(200, { ok: 'must not be reached' }));
      const answer = await rawRequest(`${gateway.url}/p/openai/v1/chat/completions`, 'POST', { ...AUTH, 'content-type': 'application/json' }, '{"model":"gpt-4o"}');
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.body)).toEqual(overloaded);
      expect(upstream.calls).toHaveLength(1);
    });

    it('retries a POST that carries an Idempotency-Key, with the same body', async () => {
      upstream.enqueue(replyJson(503, overloaded), replyJson(200, { ok: 'second' }));
      const body = '{"model":"gpt-4o","input":"x"}';
      const answer = await rawRequest(`${gateway.url}/p/openai/v1/responses`, 'POST', { ...AUTH, 'content-type': 'application/json', 'idempotency-key': 'idem-1' }, body);
      expect(answer.status).toBe(200);
      expect(upstream.calls.map((call) => bodyOf(call).toString())).toEqual([body, body]);
      expect(upstream.calls[1].headers['idempotency-key']).toBe('idem-1');
    });

    it('never retries a streamed body, even on an idempotent PUT', async () => {
      upstream.enqueue(replyJson(503, overloaded), replyJson(200, { ok: 'must not be reached' }));
      const answer = await rawRequest(
        `${gateway.url}/p/openai/v1/uploads/up-1`,
        'PUT',
        { ...AUTH, 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
        Buffer.alloc(4096, 7),
      );
      expect(answer.status).toBe(503);
      expect(upstream.calls).toHaveLength(1);
    });
  });

  describe('refusals', () => {
    it('401 without the gateway key, before anything reaches the provider', async () => {
      const missing = await rawRequest(`${gateway.url}/p/openai/v1/models`, 'GET', {});
      const wrong = await rawRequest(`${gateway.url}/p/openai/v1/models`, 'GET', { authorization: 'Bearer not-the-key' });
      expect([missing.status, wrong.status]).toEqual([401, 401]);
      expect(JSON.parse(missing.body).error.type).toBe('authentication_error');
      expect(upstream.calls).toHaveLength(0);
    });

    it('404 for an unknown provider, naming the enabled ones', async () => {
      const answer = await rawRequest(`${gateway.url}/p/nope/v1/models`, 'GET', AUTH);
      expect(answer.status).toBe(404);
      const { error } = JSON.parse(answer.body);
      expect(error).toMatchObject({ type: 'invalid_request_error', code: 'provider_not_found' });
      expect(error.message).toContain("'nope'");
      expect(error.message).toContain('openai, openai-east, vllm, anthropic');
    });

    it('400 for a configured provider that passthrough is not enabled for', async () => {
      const answer = await rawRequest(`${gateway.url}/p/groq/v1/models`, 'GET', AUTH);
      expect(answer.status).toBe(400);
      const { error } = JSON.parse(answer.body);
      expect(error).toMatchObject({ type: 'invalid_request_error', code: 'provider_disabled' });
      expect(error.message).toContain('openai, openai-east, vllm, anthropic');
      expect(upstream.calls).toHaveLength(0);
    });

    it("400 for dot segments that would climb out of the provider's base path", async () => {
      const answer = await rawRequest(`${gateway.url}/p/openai/v1/%2e%2e/admin`, 'GET', AUTH);
      expect(answer.status).toBe(400);
      expect(upstream.calls).toHaveLength(0);
    });

    it.each([
      '/p/openai-east/..\\admin/keys',
      '/p/openai/v1%2f..%2fadmin',
      '/p/openai/v1%5C..%5Cadmin',
      '/p/openai/v1/%c0%ae%c0%ae/admin',
      '/p/openai/v1/%ef%bc%8e%ef%bc%8e/admin',
      '/p/openai/v1/%252e%252e/admin',
    ])('400 in the OpenAI envelope, nothing sent upstream, for the disguised dot segment in %s', async (path) => {
      const answer = await rawRequest(`${gateway.url}${path}`, 'GET', AUTH);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { type: 'invalid_request_error' } });
      expect(upstream.calls).toHaveLength(0);
    });
  });

  it('forwards the official Anthropic SDK to an Anthropic provider with its x-api-key, and meters the answer', async () => {
    const message = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'Hello' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 10, cache_read_input_tokens: 5, cache_creation_input_tokens: 0, output_tokens: 4 },
    };
    upstream.enqueue(replyJson(200, message));
    const client = new Anthropic({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/p/anthropic`, maxRetries: 0 });
    const answer = await client.messages.create(
      { model: 'claude-sonnet-4-5', max_tokens: 32, messages: [{ role: 'user', content: 'Hi' }] },
      { headers: { 'X-Request-ID': 'pt-anthropic-1', 'anthropic-beta': 'prompt-caching-2024-07-31' } },
    );
    expect(answer).toMatchObject({ id: 'msg_1', content: [{ type: 'text', text: 'Hello' }] });
    const received = upstream.calls[0];
    expect(received).toMatchObject({ method: 'POST', url: '/v1/messages' });
    expect(received.headers['x-api-key']).toBe('sk-ant-provider');
    expect(received.headers.authorization).toBeUndefined();
    expect(received.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31');
    expect(received.headers['anthropic-version']).toEqual(expect.any(String));
    expect(await usageRow('pt-anthropic-1')).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-5', inputTokens: 15, outputTokens: 4, cachedTokens: 5 });
  });

  describe('usage', () => {
    it('records a request without a model: endpoint /p/{provider}, provider set, no tokens', async () => {
      await rawRequest(`${gateway.url}/p/openai/v1/models`, 'GET', { ...AUTH, 'x-request-id': 'pt-usage-plain' });
      expect(await usageRow('pt-usage-plain')).toMatchObject({
        endpoint: '/p/{provider}',
        provider: 'openai',
        model: null,
        status: 200,
        inputTokens: 0,
        outputTokens: 0,
        keyId: 'master',
      });
    });

    it('records provider, model and tokens from an OpenAI JSON answer (official SDK)', async () => {
      const completion = {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4o-mini-2024-07-18',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!' }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18, prompt_tokens_details: { cached_tokens: 3 }, completion_tokens_details: { reasoning_tokens: 2 } },
      };
      upstream.enqueue(replyJson(200, completion));
      const client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/p/openai/v1`, maxRetries: 0 });
      const answer = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }, { headers: { 'X-Request-ID': 'pt-usage-json' } });
      expect(answer).toEqual(completion);
      expect(JSON.parse(bodyOf(upstream.calls[0]).toString())).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
      expect(await usageRow('pt-usage-json')).toMatchObject({
        endpoint: '/p/{provider}',
        provider: 'openai',
        model: 'gpt-4o-mini',
        stream: false,
        inputTokens: 11,
        outputTokens: 7,
        cachedTokens: 3,
        reasoningTokens: 2,
      });
    });
  });
});
