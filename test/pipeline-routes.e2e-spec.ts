import { connect } from 'node:net';
import { TEST_MASTER_KEY, startTestGateway, type TestGateway } from './support/gateway-harness';
import { NewFeatureModule, ShadowChatModule } from './support/pipeline-test-routes';

const auth = { authorization: `Bearer ${TEST_MASTER_KEY}` };

describe('routes join the pipeline by decorator, and auth comes from route metadata', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({ METRICS_ENABLED: 'true' }, { modules: [NewFeatureModule] });
  });
  afterAll(() => gateway?.close());

  it('a new hot route without a public marker answers 401 without a key, and serves the master key', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${gateway.url}/v1/new-feature`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"a":1}' });
    const refused = await post({});
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('missing_api_key');
    const served = await post(auth);
    expect([served.status, await served.json()]).toEqual([200, { echoed: { a: 1 }, caller: 'master' }]);
    expect(served.headers.get('x-request-id')).toBeTruthy();
  });

  it('a hot route marked public needs no key', async () => {
    expect((await fetch(`${gateway.url}/new-feature/status`)).status).toBe(200);
  });

  it('a new Nest route without a marker answers 401 (the guard reads metadata, not the path)', async () => {
    expect((await fetch(`${gateway.url}/new-feature/nest`)).status).toBe(401);
    expect((await fetch(`${gateway.url}/new-feature/nest`, { headers: auth })).status).toBe(200);
  });

  it('health, metrics and swagger stay public', async () => {
    for (const path of ['/health', '/metrics', '/swagger/json']) expect([path, (await fetch(`${gateway.url}${path}`)).status]).toEqual([path, 200]);
  });

  it('any path under /admin/, known or not, answers 401 without a valid key, and 404 (not 401) with one', async () => {
    // /admin/auth-keys exists now; a path beneath it that no route serves still answers 404.
    for (const path of ['/admin', '/admin/anything', '/admin/auth-keys/a/b', '/admin/a/b?c=d']) {
      const refused = await fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect([path, refused.status]).toEqual([path, 401]);
      expect([path, (await fetch(`${gateway.url}${path}`, { headers: { authorization: 'Bearer wrong' } })).status]).toEqual([path, 401]);
      expect([path, (await fetch(`${gateway.url}${path}`, { headers: auth })).status]).toEqual([path, 404]);
    }
  });

  it('a client that aborts mid-body is a counted 499, not an unhandled error', async () => {
    const socket = connect(Number(new URL(gateway.url).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`POST /v1/new-feature HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_MASTER_KEY}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":`);
    // Wait until the gateway has the head (it reads the body), then leave.
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    let metrics = '';
    for (let tries = 0; tries < 100 && !/route="\/v1\/new-feature"[^\n]*status="499"/.test(metrics); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    }
    expect(metrics).toMatch(/switchyard_http_requests_total\{[^}]*route="\/v1\/new-feature"[^}]*status="499"[^}]*\} 1/);
  });
});

describe('an open gateway (no master key)', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({ SWITCHYARD_MASTER_KEY: undefined }, { modules: [NewFeatureModule] });
  });
  afterAll(() => gateway?.close());

  it('serves inference to anyone and /admin/* to loopback clients (this test is one): unknown admin paths are plain 404s', async () => {
    expect((await fetch(`${gateway.url}/v1/new-feature`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(200);
    expect((await fetch(`${gateway.url}/admin/anything`)).status).toBe(404);
  });
});

describe('two handlers for one route', () => {
  it('fail the boot with a message naming both', async () => {
    await expect(startTestGateway({}, { modules: [ShadowChatModule] })).rejects.toThrow(
      /POST \/v1\/chat\/completions: ChatController\.complete and ShadowChatController\.complete/,
    );
  });
});
