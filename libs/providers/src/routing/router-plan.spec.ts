import { buildConfig, parseRoutingConfig } from '@app/config';
import type { GatewayMetrics } from '@app/observability';
import type { ProviderAdapter, UpstreamModel } from '../adapters/provider-adapter';
import { ProviderRegistry } from '../provider-registry';
import { ModelInventory } from './model-inventory';
import { type RandomSource, weightedOrder } from './route-plan';
import { RouterService } from './router.service';

const metrics = { setBreakerState: () => undefined, useLabelCatalogue: () => undefined } as unknown as GatewayMetrics;
const ENV = { OPENAI_API_KEY: 'a', ANTHROPIC_API_KEY: 'b', GEMINI_API_KEY: 'c', GROQ_API_KEY: 'd' };
const LISTINGS: Record<string, UpstreamModel[]> = {
  openai: [{ id: 'gpt-4o' }, { id: 'gpt-4o-mini' }],
  anthropic: [{ id: 'claude-sonnet-4-5' }, { id: 'claude-haiku-4-5' }],
  gemini: [{ id: 'gemini-2.5-pro' }],
  groq: [{ id: 'llama-3.3-70b-versatile' }],
};

/** A seeded generator (mulberry32): the same sequence on every run, uniform enough for a split. */
function seeded(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function routerFor(yaml: string, random: RandomSource = Math.random): Promise<RouterService> {
  const base = buildConfig(ENV);
  const config = {
    ...base,
    routing: parseRoutingConfig(
      yaml,
      '/test/switchyard.yaml',
      base.providers.map((provider) => provider.name),
    ),
  };
  const registry = new ProviderRegistry(config, metrics);
  for (const provider of registry.all()) {
    (provider as { adapter: ProviderAdapter }).adapter = { provider: provider.config, listModels: async () => LISTINGS[provider.name] ?? [] } as unknown as ProviderAdapter;
  }
  const inventory = new ModelInventory(config, registry, metrics);
  await inventory.refresh(1000);
  return new RouterService(registry, inventory, config, random);
}

const names = (router: RouterService, selector: string) => router.plan(selector).targets.map((target) => `${target.provider.name}/${target.model}`);

const SMART = `
aliases:
  smart:
    targets:
      - { model: openai/gpt-4o, weight: 3 }
      - { model: anthropic/claude-sonnet-4-5, weight: 1 }
    fallbacks: [gemini/gemini-2.5-pro, openai/gpt-4o]
fallbacks:
  openai/gpt-4o-mini: [groq/llama-3.3-70b-versatile, anthropic/claude-haiku-4-5]
  gpt-4o: [gemini/gemini-2.5-pro]
`;

describe('RouterService.plan', () => {
  it('puts the weighted pick first, then the other targets, then the fallbacks, without duplicates', async () => {
    const router = await routerFor(SMART, () => 0.1);
    expect(router.plan('smart')).toMatchObject({ selector: 'smart', alias: 'smart' });
    expect(names(router, 'smart')).toEqual(['openai/gpt-4o', 'anthropic/claude-sonnet-4-5', 'gemini/gemini-2.5-pro']);
    const unlucky = await routerFor(SMART, () => 0.9);
    expect(names(unlucky, 'smart')).toEqual(['anthropic/claude-sonnet-4-5', 'openai/gpt-4o', 'gemini/gemini-2.5-pro']);
  });

  it('splits an alias 3:1 within tolerance over many picks', async () => {
    const router = await routerFor(SMART, seeded(42));
    let openai = 0;
    const picks = 10_000;
    for (let i = 0; i < picks; i++) if (router.plan('smart').targets[0].provider.name === 'openai') openai++;
    expect(openai / picks).toBeGreaterThan(0.73);
    expect(openai / picks).toBeLessThan(0.77);
  });

  it('follows a plain selector with its chain, found by the canonical provider/model or by the selector as sent', async () => {
    const router = await routerFor(SMART);
    expect(names(router, 'gpt-4o-mini')).toEqual(['openai/gpt-4o-mini', 'groq/llama-3.3-70b-versatile', 'anthropic/claude-haiku-4-5']);
    expect(names(router, 'openai/gpt-4o-mini')).toEqual(names(router, 'gpt-4o-mini'));
    expect(names(router, 'gpt-4o')).toEqual(['openai/gpt-4o', 'gemini/gemini-2.5-pro']);
    // The bare key is the client's word: `openai/gpt-4o` sent explicitly has no chain of its own.
    expect(names(router, 'openai/gpt-4o')).toEqual(['openai/gpt-4o']);
    expect(router.plan('gemini-2.5-pro')).toEqual({ selector: 'gemini-2.5-pro', targets: [expect.objectContaining({ model: 'gemini-2.5-pro' })] });
  });

  it('answers model_not_found for an unknown model, as resolve does', async () => {
    const router = await routerFor(SMART);
    expect(() => router.plan('gpt-9')).toThrow(expect.objectContaining({ status: 404, code: 'model_not_found', param: 'model' }));
    expect(() => router.plan('constructor')).toThrow(expect.objectContaining({ status: 404 }));
  });

  it('skips a configured target whose provider does not list the model, and 404s an alias left with none', async () => {
    const router = await routerFor('aliases:\n  a:\n    targets: [openai/gpt-9, groq/llama-3.3-70b-versatile]\n  b:\n    targets: [openai/gpt-9]\n');
    expect(names(router, 'a')).toEqual(['groq/llama-3.3-70b-versatile']);
    expect(() => router.plan('b')).toThrow(expect.objectContaining({ code: 'model_not_found' }));
  });

  it('lists the configured aliases', async () => {
    expect((await routerFor(SMART)).aliases()).toEqual(['smart']);
  });
});

describe('weightedOrder', () => {
  it('orders every item once, the rest by weight too', () => {
    const items = [
      { id: 'a', weight: 1 },
      { id: 'b', weight: 1 },
      { id: 'c', weight: 2 },
    ];
    expect(weightedOrder(items, () => 0).map((item) => item.id)).toEqual(['a', 'b', 'c']);
    expect(weightedOrder(items, () => 0.99).map((item) => item.id)).toEqual(['c', 'b', 'a']);
    const random = seeded(7);
    const secondWhenAFirst = { b: 0, c: 0 };
    for (let i = 0; i < 4000; i++) {
      const order = weightedOrder(items, random).map((item) => item.id);
      if (order[0] === 'a') secondWhenAFirst[order[1] as 'b' | 'c']++;
    }
    // Among b (1) and c (2), c comes next twice as often.
    expect(secondWhenAFirst.c / (secondWhenAFirst.b + secondWhenAFirst.c)).toBeGreaterThan(0.6);
    expect(secondWhenAFirst.c / (secondWhenAFirst.b + secondWhenAFirst.c)).toBeLessThan(0.73);
  });
});
