import { connect, type Socket } from 'node:net';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

/** What a raw client saw: the status line, the response head, and when the server closed the socket. */
interface RawOutcome {
  readonly statusLine: string;
  readonly head: string;
  readonly body: string;
  readonly closedAfterMs: number;
}

const AUTH = `Authorization: Bearer ${TEST_MASTER_KEY}\r\n`;
// Far beyond any bound the tests accept, far below Node's default 300 s request timeout.
const HELD = 20_000;

/**
 * Sends `head` on a raw socket, then drips one body byte every 100 ms (as a slow or hostile client
 * does) until the server closes the connection; resolves with what came back.
 */
function dripRequest(gateway: TestGateway, head: string): Promise<RawOutcome> {
  const { port } = new URL(gateway.url);
  return new Promise((resolve, reject) => {
    const startedAt = Date.now();
    const socket: Socket = connect(Number(port), '127.0.0.1');
    let received = '';
    const drip = setInterval(() => {
      if (socket.writable) socket.write('a');
    }, 100);
    const timer = setTimeout(() => socket.destroy(new Error(`the gateway held the connection for ${HELD} ms`)), HELD);
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    // A reset after the response counts as a close (the client kept dripping into a closed socket).
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('close', () => {
      clearInterval(drip);
      clearTimeout(timer);
      const [head, body = ''] = received.split('\r\n\r\n', 2);
      resolve({ statusLine: head.split('\r\n', 1)[0], head: head.toLowerCase(), body, closedAfterMs: Date.now() - startedAt });
    });
    socket.write(head);
  });
}

const post = (path: string, headers: string) => `POST ${path} HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n${headers}\r\n`;
const tenMegabytes = 'Content-Length: 10000000\r\n';

describe('held connections: early refusals close the connection, slow clients are cut', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    // Request and header deadlines far beyond the bounds below: only an early close can pass them.
    gateway = await startTestGateway({ BODY_SIZE_LIMIT: '64kb', SERVER_REQUEST_TIMEOUT: '120s', SERVER_HEADERS_TIMEOUT: '60s' });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it.each([
    ['a hot route', '/v1/chat/completions'],
    ['a Nest route', '/v1/conversations'],
  ])('answers 401 at once on %s and closes while the client is still dripping its body', async (_name, path) => {
    const outcome = await dripRequest(gateway, post(path, tenMegabytes));
    expect(outcome.statusLine).toBe('HTTP/1.1 401 Unauthorized');
    expect(JSON.parse(outcome.body)).toMatchObject({ error: { type: 'authentication_error', code: 'missing_api_key' } });
    expect(outcome.head).toContain('connection: close');
    expect(outcome.closedAfterMs).toBeLessThan(5_000);
  });

  it.each([
    ['a hot route', '/v1/chat/completions'],
    ['a Nest route', '/v1/conversations'],
  ])('answers 413 from a declared Content-Length on %s without waiting for the body, and closes', async (_name, path) => {
    const outcome = await dripRequest(gateway, post(path, AUTH + tenMegabytes));
    expect(outcome.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(JSON.parse(outcome.body)).toMatchObject({ error: { type: 'invalid_request_error', code: 'request_too_large' } });
    expect(outcome.head).toContain('connection: close');
    expect(outcome.closedAfterMs).toBeLessThan(5_000);
  });

  it('keeps well-behaved connections alive for SERVER_KEEPALIVE_TIMEOUT (65 s by default)', async () => {
    const response = await fetch(`${gateway.url}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('keep-alive')).toBe('timeout=65');
  });
});

describe('held connections: the server deadlines come from config', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({ SERVER_HEADERS_TIMEOUT: '500ms', SERVER_REQUEST_TIMEOUT: '1500ms' });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('cuts a client that drips its headers at SERVER_HEADERS_TIMEOUT', async () => {
    // No blank line: the headers never end, each drip byte extends a header value.
    const outcome = await dripRequest(gateway, `POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nX-Slow: `);
    expect(outcome.statusLine).toBe('HTTP/1.1 408 Request Timeout');
    expect(outcome.closedAfterMs).toBeGreaterThanOrEqual(450);
    expect(outcome.closedAfterMs).toBeLessThan(8_000);
  });

  it('cuts an authenticated client that drips an acceptable body at SERVER_REQUEST_TIMEOUT', async () => {
    const outcome = await dripRequest(gateway, post('/v1/chat/completions', `${AUTH}Content-Length: 50000\r\n`));
    expect(outcome.statusLine).toBe('HTTP/1.1 408 Request Timeout');
    expect(outcome.closedAfterMs).toBeGreaterThanOrEqual(1_400);
    expect(outcome.closedAfterMs).toBeLessThan(10_000);
  });
});
