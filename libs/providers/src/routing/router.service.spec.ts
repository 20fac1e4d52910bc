import { buildConfig } from '@app/config';
import type { GatewayMetrics } from '@app/observability';
import type { ProviderAdapter, UpstreamModel } from '../adapters/provider-adapter';
import { ProviderRegistry } from '../provider-registry';
import { ModelInventory } from './model-inventory';
import { RouterService } from './router.service';

const metrics = { setBreakerState: () => undefined, useLabelCatalogue: () => undefined } as unknown as GatewayMetrics;

async function routerFor(env: Record<string, string>, listings: Record<string, UpstreamModel[] | Error>) {
  const config = buildConfig(env);
  const registry = new ProviderRegistry(config, metrics);
  for (const provider of registry.all()) {
    const listing = listings[provider.name];
    (provider as { adapter: ProviderAdapter }).adapter = {
      provider: provider.config,
      listModels: async () => {
        if (listing instanceof Error) throw listing;
        return listing ?? [];
      },
    } as unknown as ProviderAdapter;
  }
  const inventory = new ModelInventory(config, registry, metrics);
  await inventory.refresh(1000);
  return new RouterService(registry, inventory, config);
}

describe('RouterService', () => {
  const env = { OPENAI_API_KEY: 'a', GROQ_API_KEY: 'b', GROQ_MODELS: 'llama-3', OPENAI_EAST_API_KEY: 'c' };

  it('routes a bare model to the first provider, in configuration order, that lists it', async () => {
    const router = await routerFor(env, { openai: [{ id: 'gpt-4o' }], 'openai-east': [{ id: 'gpt-4o' }], groq: new Error('down') });
    expect(router.resolve('gpt-4o').provider.name).toBe('openai');
  });

  it('honours provider/model and splits only on a configured provider prefix', async () => {
    const router = await routerFor(env, { openai: [{ id: 'gpt-4o' }], 'openai-east': [{ id: 'gpt-4o' }, { id: 'org/model' }] });
    expect(router.resolve('openai-east/gpt-4o')).toMatchObject({ model: 'gpt-4o', provider: { name: 'openai-east' } });
    expect(router.resolve('openai-east/org/model')).toMatchObject({ model: 'org/model' });
    expect(router.resolve('org/model')).toMatchObject({ model: 'org/model', provider: { name: 'openai-east' } });
  });

  it('falls back to the configured model list when the upstream listing fails', async () => {
    const router = await routerFor(env, { groq: new Error('unreachable') });
    expect(router.resolve('llama-3').provider.name).toBe('groq');
  });

  it('answers model_not_found for a model nobody lists', async () => {
    const router = await routerFor(env, { openai: [{ id: 'gpt-4o' }] });
    expect(() => router.resolve('gpt-9')).toThrow(expect.objectContaining({ status: 404, code: 'model_not_found', param: 'model' }));
    expect(() => router.resolve('openai/gpt-9')).toThrow(expect.objectContaining({ status: 404 }));
  });

  it('trusts an explicit provider whose catalogue is unknown', async () => {
    const router = await routerFor(env, { 'openai-east': new Error('no listing') });
    expect(router.resolve('openai-east/anything')).toMatchObject({ model: 'anything' });
  });
});
