import OpenAI from 'openai';
import { FakeOpenAIUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

/** A ~10 KB body nested 5,000 deep: it parses, but JSON.stringify overflows the stack on the way upstream. */
const DEEP = '['.repeat(5_000) + '1' + ']'.repeat(5_000);
const deepChat = `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"metadata_blob":${DEEP}}`;
const deepMessages = `{"model":"gpt-4o-mini","max_tokens":16,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"f","input_schema":{"type":"object","default":${DEEP}}}]}`;

describe('a request the gateway cannot serialise for the upstream', () => {
  let upstream: FakeOpenAIUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await FakeOpenAIUpstream.start();
    // The body-parsing depth limit (JSON_MAX_DEPTH) refuses such bodies first by default; raised
    // here, as an operator may, so the adapters' own serialisation guard is what answers.
    gateway = await startTestGateway({
      OPENAI_API_KEY: 'k',
      OPENAI_BASE_URL: upstream.baseUrl,
      CIRCUIT_BREAKER_THRESHOLD: '5',
      CIRCUIT_BREAKER_COOLDOWN: '30s',
      JSON_MAX_DEPTH: '100000',
    });
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
  });

  const post = (path: string, body: string) =>
    fetch(`${gateway.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' }, body });

  it("is the client's 400 each time, sends nothing, and never opens the provider's circuit", async () => {
    for (let i = 0; i < 6; i++) {
      const chat = await post('/v1/chat/completions', deepChat);
      expect(chat.status).toBe(400);
      expect(await chat.json()).toEqual({
        error: { message: "'metadata_blob' is nested too deeply to be forwarded.", type: 'invalid_request_error', param: 'metadata_blob', code: 'invalid_request_body' },
      });
    }
    const messages = await post('/v1/messages', deepMessages);
    expect(messages.status).toBe(400);
    expect(((await messages.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    expect(upstream.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(0);

    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/switchyard_circuit_breaker_state\{provider="openai"\} 0/);
    const client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'still there?' }] });
    expect(completion.object).toBe('chat.completion');
  });
});
