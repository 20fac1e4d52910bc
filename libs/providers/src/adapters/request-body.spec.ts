import { buildConfig, type ProviderConfig } from '@app/config';
import { GatewayError } from '@app/core';
import type { GatewayMetrics } from '@app/observability';
import type { ProviderInstance } from '../provider-instance';
import { CircuitBreaker } from '../resilience/circuit-breaker';
import { UpstreamExecutor } from '../resilience/upstream-executor';
import { AnthropicAdapter } from './anthropic/anthropic.adapter';
import { BedrockAdapter } from './bedrock/bedrock.adapter';
import { GeminiAdapter } from './gemini/gemini.adapter';
import { OpenAICompatibleAdapter } from './openai/openai-compatible.adapter';
import type { ProviderAdapter } from './provider-adapter';
import { prepareRequest, serializeRequestBody } from './request-body';

/** 5,000 levels of arrays: JSON.parse reads it, JSON.stringify overflows the stack. */
function deeplyNested(depth = 5_000): unknown {
  return JSON.parse('['.repeat(depth) + '1' + ']'.repeat(depth));
}

const config = buildConfig({ UPSTREAM_MAX_RETRIES: '2', UPSTREAM_RETRY_BASE_DELAY: '1ms', CIRCUIT_BREAKER_THRESHOLD: '5' });
// Nothing listens on the discard port: had a request been sent, it would fail as `connect` and count.
const NOWHERE = 'http://127.0.0.1:9';
const provider = (type: string, dialect: ProviderConfig['dialect']): ProviderConfig => ({
  name: type,
  type,
  dialect,
  baseUrl: NOWHERE,
  apiKey: 'k',
  models: [],
  bedrock: { region: 'us-east-1', bearerToken: 't' },
});
const ADAPTERS: Array<[string, () => ProviderAdapter]> = [
  ['openai', () => new OpenAICompatibleAdapter(provider('openai', 'openai'), config.upstream)],
  ['anthropic', () => new AnthropicAdapter(provider('anthropic', 'anthropic'), config.upstream)],
  ['gemini', () => new GeminiAdapter(provider('gemini', 'gemini'), config.upstream)],
  ['bedrock', () => new BedrockAdapter(provider('bedrock', 'bedrock'), config.upstream)],
];

describe("request preparation failures are the client's 400", () => {
  it('serializeRequestBody names the field that cannot be serialised', () => {
    const error = (() => {
      try {
        serializeRequestBody({ model: 'm', metadata: deeplyNested() });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ kind: 'invalid_request', status: 400, param: 'metadata', message: "'metadata' is nested too deeply to be forwarded." });
  });

  it("prepareRequest keeps the translation's own GatewayErrors and turns other failures into 400s", () => {
    const own = GatewayError.invalidRequest('no', 'tools');
    expect(() =>
      prepareRequest({}, () => {
        throw own;
      }),
    ).toThrow(own);
    expect(() =>
      prepareRequest({ messages: [] }, () => {
        throw new TypeError('x is undefined');
      }),
    ).toThrow(expect.objectContaining({ kind: 'invalid_request', status: 400, message: 'The request body could not be translated for the upstream provider.' }));
  });

  it.each(ADAPTERS)('%s: six unserialisable requests are 400s, sent nowhere, and leave the breaker closed', async (_name, makeAdapter) => {
    const adapter = makeAdapter();
    const breaker = new CircuitBreaker({ failureThreshold: 5, cooldownMs: 60_000 });
    const instance: ProviderInstance = { name: adapter.provider.name, config: adapter.provider, adapter, breaker };
    const executor = new UpstreamExecutor(config, { countRetry: jest.fn() } as unknown as GatewayMetrics);
    // Every dialect translates tool schemas (Gemini recursively), and OpenAI forwards any field.
    const parameters = { type: 'object', properties: { deep: { type: 'array', default: deeplyNested() } } };
    const body = { model: 'some-model', messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'f', parameters } }] };
    try {
      for (let i = 0; i < 6; i++) {
        const call = executor.execute(instance, new AbortController().signal, () =>
          adapter.chatCompletion({ body, stream: i % 2 === 0 }, { requestId: 'r', signal: new AbortController().signal }),
        );
        await expect(call).rejects.toMatchObject({ kind: 'invalid_request', status: 400 });
      }
      expect(breaker.currentState).toBe('closed');
      expect(breaker.tryAcquire()).toBe(true);
    } finally {
      await adapter.close();
    }
  });
});
