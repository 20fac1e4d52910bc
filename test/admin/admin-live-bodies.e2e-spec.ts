import OpenAI from 'openai';
import { AuditWriter } from '@app/storage';
import { FakeOpenAIUpstream } from '../support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from '../support/gateway-harness';

const ADMIN = { authorization: `Bearer ${TEST_MASTER_KEY}` };

interface SseEvent {
  readonly id?: string;
  readonly event?: string;
  readonly data?: string;
}

/** Reads SSE events from a fetch body until `count` `request` events (or the deadline) came. */
async function readEvents(body: ReadableStream<Uint8Array>, count: number, matching: (event: SseEvent) => boolean = () => true): Promise<SseEvent[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = '';
  const deadline = Date.now() + 5_000;
  while (events.length < count && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: Record<string, string> = {};
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) event[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
      }
      if (event.event === 'request' && matching(event)) events.push(event);
    }
  }
  await reader.cancel();
  return events;
}

describe('operator console: live events, captured bodies and threads', () => {
  let groq: FakeOpenAIUpstream;
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    groq = await FakeOpenAIUpstream.start({ models: ['llama-3.3-70b'] });
    gateway = await startTestGateway({ GROQ_API_KEY: 'gsk-live-test-key', GROQ_BASE_URL: groq.baseUrl, AUDIT_BODIES: 'all', AUDIT_BODY_MAX_BYTES: '600' });
    client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.close();
    await groq?.close();
  });

  async function auditEntry(requestId: string): Promise<Record<string, unknown>> {
    await gateway.app.get(AuditWriter).flush();
    const log = (await (await fetch(`${gateway.url}/admin/audit/log?request_id=${requestId}`, { headers: ADMIN })).json()) as { data: Array<{ id: string }> };
    return (await (await fetch(`${gateway.url}/admin/audit/${log.data[0].id}`, { headers: ADMIN })).json()) as Record<string, unknown>;
  }

  it('streams an event for a finished request, and replays it to a client resuming with Last-Event-ID', async () => {
    const live = await fetch(`${gateway.url}/admin/live`, { headers: ADMIN });
    expect(live.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const before = (
      await client.chat.completions.create({ model: 'groq/llama-3.3-70b', messages: [{ role: 'user', content: 'one' }] }, { headers: { 'X-Request-ID': 'live-1' } }).withResponse()
    ).response;
    expect(before.status).toBe(200);
    const [first] = await readEvents(live.body!, 1, (event) => event.data!.includes('"live-1"'));
    expect(JSON.parse(first.data!)).toMatchObject({ request_id: 'live-1', route: '/v1/chat/completions', provider: 'groq', model: 'llama-3.3-70b', status: 200, key_id: 'master' });

    await client.chat.completions.create({ model: 'groq/llama-3.3-70b', messages: [{ role: 'user', content: 'two' }] }, { headers: { 'X-Request-ID': 'live-2' } });
    const resumed = await fetch(`${gateway.url}/admin/live`, { headers: { ...ADMIN, 'Last-Event-ID': first.id! } });
    const replayed = await readEvents(resumed.body!, 1, (event) => event.data!.includes('"live-2"'));
    expect(Number(replayed[0].id)).toBeGreaterThan(Number(first.id));
  });

  it('captures bodies with credentials redacted, without the Authorization header, cut at the limit', async () => {
    await client.chat.completions.create(
      {
        model: 'groq/llama-3.3-70b',
        messages: [{ role: 'user', content: `my key is sk-proj-${'a'.repeat(24)}` }],
        metadata: { api_key: 'plain-secret-value' },
      } as OpenAI.ChatCompletionCreateParamsNonStreaming,
      { headers: { 'X-Request-ID': 'bodies-1' } },
    );
    const entry = await auditEntry('bodies-1');
    expect(entry.request_body).toEqual(expect.stringContaining('"model":"groq/llama-3.3-70b"'));
    expect(entry.request_body).not.toContain('plain-secret-value');
    expect(entry.request_body).not.toContain(`sk-proj-${'a'.repeat(24)}`);
    expect(entry.request_body).toContain('[redacted]');
    expect(entry.response_body).toEqual(expect.stringContaining('chat.completion'));
    expect(entry.request_headers).not.toHaveProperty('authorization');
    expect(entry.request_headers).toHaveProperty('x-request-id', 'bodies-1');
    expect(JSON.stringify(entry)).not.toContain(TEST_MASTER_KEY);

    await client.chat.completions.create({ model: 'groq/llama-3.3-70b', messages: [{ role: 'user', content: 'x'.repeat(5_000) }] }, { headers: { 'X-Request-ID': 'bodies-long' } });
    const long = await auditEntry('bodies-long');
    expect(long).toMatchObject({ body_truncated: true });
    expect(Buffer.byteLength(String(long.request_body))).toBeLessThanOrEqual(600);
  });

  it('keeps only the head of a streamed answer', async () => {
    const stream = await client.chat.completions.create(
      { model: 'groq/llama-3.3-70b', messages: [{ role: 'user', content: 'stream' }], stream: true },
      { headers: { 'X-Request-ID': 'bodies-stream' } },
    );
    for await (const chunk of stream) void chunk;
    const entry = await auditEntry('bodies-stream');
    expect(entry).toMatchObject({ stream: true });
    expect(String(entry.response_body)).toMatch(/^data: /);
    expect(Buffer.byteLength(String(entry.response_body))).toBeLessThanOrEqual(600);
  });

  it('shows the Responses chain and conversation around an entry', async () => {
    const conversation = await client.conversations.create({ metadata: { topic: 'audit' } });
    const first = await client.responses.create({ model: 'groq/llama-3.3-70b', input: 'first' });
    await client.responses.create({ model: 'groq/llama-3.3-70b', input: 'second', previous_response_id: first.id }, { headers: { 'X-Request-ID': 'thread-2' } });
    await client.responses.create({ model: 'groq/llama-3.3-70b', input: 'in a conversation', conversation: conversation.id }, { headers: { 'X-Request-ID': 'thread-conv' } });
    const second = await auditEntry('thread-2');
    const thread = (await (await fetch(`${gateway.url}/admin/audit/${String(second.id)}/thread`, { headers: ADMIN })).json()) as Record<string, unknown>;
    expect(thread).toMatchObject({ object: 'audit.thread', entry: { request_id: 'thread-2', previous_response_id: first.id }, responses: [{ id: first.id }], conversation: null });
    expect(thread.entries).toEqual([expect.objectContaining({ request_id: 'thread-2' })]);
    const inConversation = await auditEntry('thread-conv');
    const conversationThread = (await (await fetch(`${gateway.url}/admin/audit/${String(inConversation.id)}/thread`, { headers: ADMIN })).json()) as Record<string, unknown>;
    expect(conversationThread).toMatchObject({ conversation: { id: conversation.id, metadata: { topic: 'audit' } }, entries: [{ request_id: 'thread-conv' }] });
  });
});
