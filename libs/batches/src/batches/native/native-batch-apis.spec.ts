import type { AppConfig, ProviderConfig } from '@app/config';
import type { ProviderInstance, ProviderRegistry } from '@app/providers';
import { AnthropicBatchClient } from './anthropic-batch-client';
import { NativeBatchApis } from './native-batch-apis';
import { OpenAIBatchClient } from './openai-batch-client';

function apis(mode: 'auto' | 'emulate', providers: Array<Partial<ProviderConfig> & { name: string }>): NativeBatchApis {
  const instances = new Map(
    providers.map((config) => [config.name, { name: config.name, config: { dialect: 'openai', baseUrl: 'http://x', models: [], ...config } } as unknown as ProviderInstance]),
  );
  const registry = { get: (name: string) => instances.get(name) } as unknown as ProviderRegistry;
  const config = { batches: { mode }, upstream: { defaultMaxTokens: 4096, totalTimeoutMs: 1000 } } as AppConfig;
  return new NativeBatchApis(config, registry);
}

describe('NativeBatchApis', () => {
  const providers = [
    { name: 'openai', type: 'openai', batchNative: true },
    { name: 'openai-east', type: 'openai', batchNative: false },
    { name: 'anthropic', type: 'anthropic', dialect: 'anthropic' as const, batchNative: true },
    { name: 'xai', type: 'xai', batchNative: false },
  ];

  it('picks the batch API of a provider whose switch is on, for the endpoints it runs', () => {
    const natives = apis('auto', providers);
    expect(natives.forNewBatch('openai', '/v1/chat/completions')).toBeInstanceOf(OpenAIBatchClient);
    expect(natives.forNewBatch('openai', '/v1/messages')).toBeUndefined();
    expect(natives.forNewBatch('anthropic', '/v1/messages')).toBeInstanceOf(AnthropicBatchClient);
    expect(natives.forNewBatch('anthropic', '/v1/embeddings')).toBeUndefined();
  });

  it('emulates when the provider switch is off, the type has no batch API, or BATCH_MODE=emulate', () => {
    expect(apis('auto', providers).forNewBatch('openai-east', '/v1/chat/completions')).toBeUndefined();
    expect(apis('auto', providers).forNewBatch('xai', '/v1/chat/completions')).toBeUndefined();
    expect(apis('emulate', providers).forNewBatch('openai', '/v1/chat/completions')).toBeUndefined();
  });

  it('still reaches the provider of a batch already running there after its switch went off', () => {
    expect(apis('emulate', providers).client('openai-east')).toBeInstanceOf(OpenAIBatchClient);
  });
});
