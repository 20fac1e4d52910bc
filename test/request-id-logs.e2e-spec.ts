import { Writable } from 'node:stream';
import { ResponsesRepository } from '@app/storage';
import { HandlerUpstream, sendJsonReply } from './support/handler-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

const ROUTING = `
aliases:
  skip-first:
    targets: [openai/not-listed-model, openai/gpt-4o-mini]
`;
const RESPONSE = {
  id: 'resp_logs1',
  object: 'response',
  created_at: 1,
  status: 'completed',
  model: 'gpt-4o-mini',
  output: [],
  usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 },
};

describe('the request id is on every log line of a request (AsyncLocalStorage, read by the logger)', () => {
  const lines: Record<string, unknown>[] = [];
  let upstream: HandlerUpstream;
  let gateway: TestGateway;
  const post = (path: string, requestId: string, body: object) =>
    fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify(body),
    });
  const linesWith = (text: string) => lines.filter((line) => JSON.stringify(line).includes(text));

  beforeAll(async () => {
    upstream = await HandlerUpstream.start();
    upstream.handle = (request, res) => {
      if (request.path.endsWith('/chat/completions')) return sendJsonReply(res, 500, { error: { message: 'boom', type: 'server_error', param: null, code: null } });
      if (request.path.endsWith('/responses')) return sendJsonReply(res, 200, RESPONSE);
      sendJsonReply(res, 404, { error: { message: 'no', type: 'invalid_request_error', param: null, code: null } });
    };
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    gateway = await startTestGateway(
      { LOG_LEVEL: 'info', OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `${upstream.origin}/v1`, OPENAI_MODELS: 'gpt-4o-mini', UPSTREAM_MAX_RETRIES: '0' },
      { routingYaml: ROUTING, logDestination: destination },
    );
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it('providers: the router logs the request id without being given it', async () => {
    const response = await post('/v1/chat/completions', 'logs-provider-1', { model: 'skip-first', messages: [{ role: 'user', content: 'hi' }] });
    await response.text();
    const skipped = linesWith('a routing target names a model its provider does not list');
    expect(skipped).toHaveLength(1);
    expect(skipped[0].requestId).toBe('logs-provider-1');
  });

  it('storage: a failed background write of a response logs the request that made it', async () => {
    // The store keeps its repository private; the failure is injected one layer down, where it would happen.
    const repository = gateway.app.get(ResponsesRepository);
    const create = jest.spyOn(repository, 'create').mockRejectedValueOnce(new Error('disk full'));
    const response = await post('/v1/responses', 'logs-storage-1', { model: 'openai/gpt-4o-mini', input: 'hi' });
    expect(response.status).toBe(200);
    await response.json();
    for (let tries = 0; tries < 100 && linesWith('storing a response failed').length === 0; tries++) await new Promise((resolve) => setTimeout(resolve, 20));
    create.mockRestore();
    const failed = linesWith('storing a response failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].requestId).toBe('logs-storage-1');
  });

  it('lines logged outside any request (boot, batch flushes) carry no request id', () => {
    const boot = linesWith('Nest application successfully started');
    expect(boot.length).toBeGreaterThan(0);
    expect(boot[0].requestId).toBeUndefined();
  });
});
