import { buildConfig } from '@app/config';
import { FakeAnthropicUpstream } from '../../../../../test/support/fake-anthropic';
import { AnthropicAdapter } from './anthropic.adapter';

describe('AnthropicAdapter.forward and embeddings', () => {
  let upstream: FakeAnthropicUpstream;
  let adapter: AnthropicAdapter;
  const context = () => ({ requestId: 'req-forward', signal: AbortSignal.timeout(5_000) });

  beforeAll(async () => {
    upstream = await FakeAnthropicUpstream.start({ apiKey: 'sk-ant-forward' });
    const config = buildConfig({ ANTHROPIC_API_KEY: 'sk-ant-forward', ANTHROPIC_BASE_URL: upstream.url, DATA_DIR: '/tmp' });
    adapter = new AnthropicAdapter(
      config.providers.find((provider) => provider.type === 'anthropic')!,
      config.upstream,
    );
  });

  afterAll(async () => {
    await adapter?.close();
    await upstream?.close();
  });

  beforeEach(() => upstream.reset());

  it('injects x-api-key, adds anthropic-version only when the client sent none, and keeps beta headers', async () => {
    const body = JSON.stringify({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] });
    const first = await adapter.forward({ method: 'POST', path: '/messages', headers: { 'content-type': 'application/json' }, body }, context());
    await first.body.dump();
    const second = await adapter.forward(
      { method: 'POST', path: '/v1/messages', headers: { 'content-type': 'application/json', 'anthropic-version': '2026-10-21', 'anthropic-beta': 'files-api-2025-04-14' }, body },
      context(),
    );
    await second.body.dump();
    expect([first.status, second.status]).toEqual([200, 200]);
    const [a, b] = upstream.messageRequests;
    expect(a.headers).toMatchObject({ 'x-api-key': 'sk-ant-forward', 'anthropic-version': '2023-06-01', 'x-request-id': 'req-forward' });
    expect(b.headers).toMatchObject({ 'x-api-key': 'sk-ant-forward', 'anthropic-version': '2026-10-21', 'anthropic-beta': 'files-api-2025-04-14' });
    expect([a.url, b.url]).toEqual(['/v1/messages', '/v1/messages']);
  });

  it('has no embeddings: a 400 naming the provider', async () => {
    await expect(adapter.embeddings()).rejects.toMatchObject({ status: 400, message: expect.stringContaining("'anthropic'") });
  });
});
