import { CALL_ID, CHAT_FIXTURES, ERROR_FIXTURES, FakeGeminiUpstream, ID } from '../support/fake-gemini';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from '../support/gateway-harness';

const GEMINI_KEY = 'contract-key';

/** Replaces what the gateway generates (completion ids, tool-call ids it invents, timestamps). */
function normalize(value: any): any {
  if (Array.isArray(value)) return value.map(normalize);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (key === 'id' && typeof field === 'string' && /^chatcmpl-[0-9a-f]{24}$/.test(field)) out[key] = ID;
    else if (key === 'id' && typeof field === 'string' && /^call_[0-9a-f]{24}$/.test(field)) out[key] = CALL_ID;
    else if (key === 'created' && typeof field === 'number') out[key] = 0;
    else out[key] = normalize(field);
  }
  return out;
}

function sseData(text: string): string[] {
  return text
    .split(/\n\n/)
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => frame.slice('data: '.length))
    .filter((data) => data !== '[DONE]');
}

describe('Gemini adapter contract: fixtures replayed through the fake Gemini upstream', () => {
  let upstream: FakeGeminiUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await FakeGeminiUpstream.start({ apiKey: GEMINI_KEY });
    gateway = await startTestGateway({ GEMINI_API_KEY: GEMINI_KEY, GEMINI_BASE_URL: upstream.url, UPSTREAM_MAX_RETRIES: '0' });
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });
  beforeEach(() => upstream.reset());

  const post = (path: string, body: unknown) =>
    fetch(`${gateway.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  describe.each(CHAT_FIXTURES.map((fixture) => [fixture.name, fixture] as const))('%s', (_name, fixture) => {
    it('sends exactly the expected Gemini request and answers exactly the expected canonical output', async () => {
      upstream.enqueue(fixture.reply);
      const response = await post('/v1/chat/completions', fixture.request);
      expect(response.status).toBe(200);
      const call = upstream.modelCalls.at(-1)!;
      expect(call.url).toBe(fixture.upstreamUrl);
      expect(call.headers['x-goog-api-key']).toBe(GEMINI_KEY);
      expect(call.body).toEqual(fixture.upstreamBody);
      if (fixture.completion) {
        expect(normalize(await response.json())).toEqual(fixture.completion);
        return;
      }
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const text = await response.text();
      expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
      const chunks = sseData(text).map((data) => JSON.parse(data));
      expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
      expect(normalize(chunks)).toEqual(fixture.chunks);
    });
  });

  it.each(ERROR_FIXTURES.map((fixture) => [fixture.name, fixture] as const))('relays the Gemini error %s as the exact OpenAI error', async (_name, fixture) => {
    upstream.enqueue({ kind: 'status', status: fixture.status, body: fixture.body });
    const response = await post('/v1/chat/completions', { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'x' }] });
    expect(response.status).toBe(fixture.clientStatus);
    expect(await response.json()).toEqual({ error: fixture.clientError });
  });

  it('rejects untranslatable fields with a 400 naming them, without calling Gemini', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ logprobs: true }, 'logprobs'],
      [{ modalities: ['text', 'audio'] }, 'modalities'],
      [{ tools: [{ type: 'web_search' }] }, 'tools[0].type'],
      [{ tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [] } } }, 'tool_choice'],
      [{ reasoning_effort: 'extreme' }, 'reasoning_effort'],
      [{ response_format: { type: 'grammar' } }, 'response_format.type'],
      [{ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'flac' } }] }] }, 'messages[0].content[0].input_audio.format'],
      [
        {
          messages: [
            { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{oops' } }] },
            { role: 'user', content: 'x' },
          ],
        },
        'messages[0].tool_calls[0].function.arguments',
      ],
    ];
    for (const [extra, param] of cases) {
      const response = await post('/v1/chat/completions', { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'x' }], ...extra });
      expect({ status: response.status, param: ((await response.json()) as { error: { param: string } }).error.param }).toEqual({ status: 400, param });
    }
    expect(upstream.modelCalls).toHaveLength(0);
  });
});
