import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import { Agent, fetch as undiciFetch } from 'undici';
import { closed, connect, FakeRealtimeUpstream, nextEvent, usageRows } from './support/fake-realtime';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';
import { createTestCertificate, type TestCertificate } from './support/tls/test-certificate';

const UPSTREAM_KEY = 'sk-realtime-upstream';

describe('/v1/realtime over TLS (the SDK dials wss://)', () => {
  let certificate: TestCertificate;
  let upstream: FakeRealtimeUpstream;
  let gateway: TestGateway;
  let origin: string;

  beforeAll(async () => {
    certificate = createTestCertificate();
    upstream = await FakeRealtimeUpstream.start(UPSTREAM_KEY);
    gateway = await startTestGateway({ OPENAI_API_KEY: UPSTREAM_KEY, OPENAI_BASE_URL: upstream.baseUrl, TLS_CERT_FILE: certificate.certFile, TLS_KEY_FILE: certificate.keyFile });
    origin = gateway.url.replace('http://', 'https://');
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
    certificate?.remove();
  });

  // The SDK's fetch trusts the test's certificate through an undici Agent of its own.
  const trustingFetch = (input: unknown, init?: object) => undiciFetch(input as never, { ...init, dispatcher: new Agent({ connect: { ca: certificate.ca } }) });
  const sdk = () => new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${origin}/v1`, maxRetries: 0, fetch: trustingFetch as unknown as typeof fetch });
  const wss = (path: string) => `${origin.replace('https://', 'wss://')}${path}`;
  const lastHandshake = () => upstream.handshakes[upstream.handshakes.length - 1];

  it('serves a chat completion over HTTPS on the same port', async () => {
    const completion = await sdk().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0].message.content).toBe('Hello over TLS');
  });

  it("relays a session of the SDK's OpenAIRealtimeWS client, with the provider key only, and records the response's usage", async () => {
    const before = upstream.handshakes.length;
    const rt = new OpenAIRealtimeWS({ model: 'gpt-realtime', options: { ca: certificate.ca } }, sdk());
    const errors: unknown[] = [];
    rt.on('error', (error) => errors.push(error));
    const created = await new Promise<{ session: { model?: string } }>((resolve) => rt.on('session.created', (event) => resolve(event as never)));
    expect(created.session.model).toBe('gpt-realtime');
    rt.send({ type: 'session.update', session: { type: 'realtime', output_modalities: ['text'] } });
    rt.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Say hello' }] } });
    rt.send({ type: 'response.create' });
    let text = '';
    rt.on('response.output_text.delta', (event) => (text += event.delta));
    const done = await new Promise<{ response: { usage?: { input_tokens?: number } } }>((resolve) => rt.on('response.done', (event) => resolve(event as never)));
    rt.close();
    expect(text).toBe('Hello from the fake realtime model');
    expect(done.response.usage?.input_tokens).toBe(132);
    expect(errors).toEqual([]);

    expect(upstream.handshakes).toHaveLength(before + 1);
    const { url, headers } = lastHandshake();
    expect(url).toBe('/v1/realtime?model=gpt-realtime');
    expect(headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(JSON.stringify(headers)).not.toContain(TEST_MASTER_KEY);
    expect(headers['openai-beta']).toBeUndefined();
    expect(headers['sec-websocket-protocol']).toBeUndefined();

    const [row] = await usageRows(gateway.dataDir, '/v1/realtime', 1, 'gpt-realtime');
    expect(row).toMatchObject({
      provider: 'openai',
      model: 'gpt-realtime',
      status: 200,
      stream: 1,
      input_tokens: 132,
      output_tokens: 121,
      cached_tokens: 64,
      key_id: 'master',
      error_type: null,
    });
  });

  it('takes a browser-style key subprotocol, answers `realtime`, and never forwards the key or OpenAI-Beta', async () => {
    const result = await connect(wss('/v1/realtime?model=gpt-realtime'), ['realtime', `openai-insecure-api-key.${TEST_MASTER_KEY}`], {
      ca: certificate.ca,
      headers: { 'OpenAI-Beta': 'realtime=v1' },
    });
    if (result.refused) throw new Error(`refused ${result.status} ${result.body}`);
    const socket = result.socket;
    expect(socket.protocol).toBe('realtime');
    // OpenAI's GA endpoint closes a beta-shaped session with 4000; the fake does too, so this proves the header was dropped.
    await nextEvent(socket, 'session.created');
    const headers = lastHandshake().headers;
    expect(JSON.stringify(headers)).not.toContain(TEST_MASTER_KEY);
    expect(headers['openai-beta']).toBeUndefined();
    expect(headers['sec-websocket-protocol']).toBeUndefined();

    const audio = Buffer.from([0, 1, 2, 254, 255, 128]);
    const echoed = new Promise<{ data: Buffer; binary: boolean }>((resolve) => socket.once('message', (data: Buffer, binary: boolean) => resolve({ data, binary })));
    socket.send(audio, { binary: true });
    expect(await echoed).toEqual({ data: audio, binary: true });

    const upstreamClosed = new Promise<void>((resolve) => [...upstream.sockets][0].once('close', () => resolve()));
    socket.close(4321, 'client done');
    await upstreamClosed;
    expect(upstream.closes[upstream.closes.length - 1]).toEqual({ code: 4321, reason: 'client done' });
  });

  it("passes the upstream's close code and reason to the client", async () => {
    const result = await connect(wss('/v1/realtime?model=gpt-realtime'), [], { ca: certificate.ca, headers: { authorization: `Bearer ${TEST_MASTER_KEY}` } });
    if (result.refused) throw new Error(`refused ${result.status}`);
    await nextEvent(result.socket, 'session.created');
    const ending = closed(result.socket);
    [...upstream.sockets][0].close(4000, 'beta_api_shape_disabled');
    expect(await ending).toEqual({ code: 4000, reason: 'beta_api_shape_disabled' });
  });

  it.each([
    ['a wrong bearer key', [], { authorization: 'Bearer sy-wrong' }],
    ['a wrong subprotocol key', ['realtime', 'openai-insecure-api-key.sy-wrong'], {}],
    ['no key', ['realtime'], {}],
  ])('refuses %s with 401 and an OpenAI error body before the upgrade', async (_name, protocols, headers) => {
    const before = upstream.handshakes.length;
    const result = await connect(wss('/v1/realtime?model=gpt-realtime'), protocols, { ca: certificate.ca, headers });
    expect(result.refused && result.status).toBe(401);
    const body = JSON.parse((result as { body: string }).body) as { error: { type: string; code: string } };
    expect(body.error.type).toBe('authentication_error');
    expect(['invalid_api_key', 'missing_api_key']).toContain(body.error.code);
    expect(upstream.handshakes).toHaveLength(before);
  });

  it('refuses an unknown model with 404 before the upgrade', async () => {
    const result = await connect(wss('/v1/realtime?model=no-such-model'), [], { ca: certificate.ca, headers: { authorization: `Bearer ${TEST_MASTER_KEY}` } });
    expect(result.refused && result.status).toBe(404);
  });

  it('closes the client with 1013 and the reason when the upstream refuses the session with 503', async () => {
    upstream.refuseWith = 503;
    try {
      const result = await connect(wss('/v1/realtime?model=gpt-realtime'), [], { ca: certificate.ca, headers: { authorization: `Bearer ${TEST_MASTER_KEY}` } });
      if (result.refused) throw new Error(`refused ${result.status}`);
      const ending = await closed(result.socket);
      expect(ending.code).toBe(1013);
      expect(ending.reason).toContain('HTTP 503');
    } finally {
      upstream.refuseWith = undefined;
    }
  });

  it('relays an ?intent=transcription session and records its transcription usage', async () => {
    const result = await connect(wss('/v1/realtime?intent=transcription'), [], { ca: certificate.ca, headers: { authorization: `Bearer ${TEST_MASTER_KEY}` } });
    if (result.refused) throw new Error(`refused ${result.status}`);
    await nextEvent(result.socket, 'session.created');
    expect(lastHandshake().url).toBe('/v1/realtime?intent=transcription');
    result.socket.send(JSON.stringify({ type: 'input_audio_buffer.append', audio: Buffer.alloc(4800).toString('base64') }));
    result.socket.send(JSON.stringify({ type: 'input_audio_buffer.commit' }));
    const completed = await nextEvent(result.socket, 'conversation.item.input_audio_transcription.completed');
    expect(completed.transcript).toBe('hello world');
    result.socket.close();
    const rows = await usageRows(gateway.dataDir, '/v1/realtime', 1, 'gpt-4o-transcribe');
    expect(rows).toEqual([expect.objectContaining({ input_tokens: 17, output_tokens: 9, status: 200, key_id: 'master' })]);
  });

  it('relays /p/openai/v1/realtime with the same credential hygiene, dropping credential query parameters', async () => {
    const result = await connect(wss('/p/openai/v1/realtime?model=gpt-realtime&api_key=sy-leak'), ['realtime', `openai-insecure-api-key.${TEST_MASTER_KEY}`], {
      ca: certificate.ca,
    });
    if (result.refused) throw new Error(`refused ${result.status} ${result.body}`);
    await nextEvent(result.socket, 'session.created');
    const { url, headers } = lastHandshake();
    expect(url).toBe('/v1/realtime?model=gpt-realtime');
    expect(headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(JSON.stringify(headers)).not.toContain(TEST_MASTER_KEY);
    result.socket.close();
  });
});

describe('/v1/realtime without TLS', () => {
  it('closes the client with 1011 and a reason when the upstream cannot be reached', async () => {
    const gateway = await startTestGateway({ OPENAI_API_KEY: UPSTREAM_KEY, OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_MODELS: 'gpt-realtime', UPSTREAM_MAX_RETRIES: '0' });
    try {
      const result = await connect(`${gateway.url.replace('http://', 'ws://')}/v1/realtime?model=gpt-realtime`, ['realtime', `openai-insecure-api-key.${TEST_MASTER_KEY}`]);
      if (result.refused) throw new Error(`refused ${result.status}`);
      const ending = await closed(result.socket);
      expect(ending.code).toBe(1011);
      expect(ending.reason).toMatch(/could not be reached/);
    } finally {
      await gateway.close();
    }
  });

  it('serves a bodiless upgrade request to another path as the plain request it also is', async () => {
    const gateway = await startTestGateway({});
    try {
      const result = await connect(`${gateway.url.replace('http://', 'ws://')}/health`, []);
      expect(result.refused && result.status).toBe(200);
      expect((result as { body: string }).body).toContain('ok');
    } finally {
      await gateway.close();
    }
  });

  it('refuses the upgrade with 501 when REALTIME_ENABLED is false', async () => {
    const gateway = await startTestGateway({ REALTIME_ENABLED: 'false' });
    try {
      const result = await connect(`${gateway.url.replace('http://', 'ws://')}/v1/realtime?model=gpt-realtime`, [], { headers: { authorization: `Bearer ${TEST_MASTER_KEY}` } });
      expect(result.refused && result.status).toBe(501);
      expect((result as { body: string }).body).toContain('realtime_disabled');
    } finally {
      await gateway.close();
    }
  });
});
