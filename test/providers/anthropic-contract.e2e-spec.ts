import { FakeAnthropicUpstream } from '../support/fake-anthropic';
import { CONTRACT_FIXTURES } from '../support/fake-anthropic/contract-fixtures';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from '../support/gateway-harness';

/** Every `data:` payload of an SSE body, JSON parsed except `[DONE]`. */
function ssePayloads(text: string): Array<Record<string, unknown> | string> {
  return text
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice('data: '.length))
    .map((data) => (data === '[DONE]' ? data : normalise(JSON.parse(data))));
}

/** `created` is the gateway's clock; the contract fixes everything else. */
function normalise(value: Record<string, unknown>): Record<string, unknown> {
  return typeof value.created === 'number' ? { ...value, created: 0 } : value;
}

describe('Anthropic adapter contract: exact upstream request and exact client output per fixture', () => {
  let upstream: FakeAnthropicUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await FakeAnthropicUpstream.start({ apiKey: 'sk-ant-contract' });
    gateway = await startTestGateway({ ANTHROPIC_API_KEY: 'sk-ant-contract', ANTHROPIC_BASE_URL: upstream.url, DEFAULT_MAX_TOKENS: '4096' });
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  beforeEach(() => upstream.reset());

  it.each(CONTRACT_FIXTURES.map((fixture) => [fixture.name, fixture] as const))('%s', async (_name, fixture) => {
    upstream.enqueue(fixture.answer);
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(fixture.request),
    });
    const text = await response.text();
    expect(response.status).toBe(200);

    expect(upstream.messageRequests).toHaveLength(1);
    expect(upstream.messageRequests[0].body).toEqual(fixture.upstream);
    if (Array.isArray(fixture.client)) {
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      expect(ssePayloads(text)).toEqual(fixture.client);
    } else {
      expect(normalise(JSON.parse(text))).toEqual(fixture.client);
    }
  });
});
