import type { ProviderRegistry, ResolvedTarget, RoutePlan } from '@app/providers';
import type { Caller } from '../auth/caller';
import { ModelAccess } from './model-access';

const CATALOGUE: Record<string, string[]> = {
  openai: ['gpt-4o', 'gpt-4o-mini', 'o3'],
  anthropic: ['claude-sonnet-4-5', 'claude-haiku-4-5'],
  groq: ['meta-llama/llama-4-scout'],
};
const ALIASES = ['smart', 'cheap'];
const registry = { has: (name: string) => name in CATALOGUE } as unknown as ProviderRegistry;
const target = (provider: string, model: string) => ({ provider: { name: provider }, model }) as unknown as ResolvedTarget;

function caller(allowedModels: string[] | null): Caller {
  return { keyId: 'key_1', userPath: null, scopes: new Set(['inference']), allowedModels };
}

describe('ModelAccess', () => {
  const access = new ModelAccess(registry);

  it('lets every model through for the master key and for keys without a list', () => {
    expect(access.allowsPlan(caller(null), { selector: 'o3', targets: [target('openai', 'o3')] })).toBe(true);
    expect(access.allowsAlias(caller(null), 'smart')).toBe(true);
  });

  it('judges an alias by its name, not by the weighted pick it happened to make', () => {
    const key = caller(['openai/*']);
    const smart: RoutePlan = { selector: 'smart', alias: 'smart', targets: [target('openai', 'gpt-4o')] };
    expect(access.allowsPlan(key, smart)).toBe(false);
    expect(access.allowsPlan(caller(['smart']), smart)).toBe(true);
  });

  it('judges a bare selector by the target it resolves to', () => {
    const plan: RoutePlan = { selector: 'gpt-4o', targets: [target('openai', 'gpt-4o'), target('anthropic', 'claude-haiku-4-5')] };
    expect(access.allowsPlan(caller(['openai/*']), plan)).toBe(true);
    expect(access.allowsPlan(caller(['anthropic/*']), plan)).toBe(false);
  });

  it.each([[['openai/gpt-4o*', 'anthropic/claude-sonnet-*', 'cheap']], [['*/claude-*', 'meta-llama/*']], [['smart', 'o3']]])(
    'refuses exactly what it hides from the model list, for %j',
    (selectors) => {
      const key = caller(selectors);
      for (const [provider, models] of Object.entries(CATALOGUE)) {
        for (const model of models) {
          const plan: RoutePlan = { selector: `${provider}/${model}`, targets: [target(provider, model)] };
          expect([`${provider}/${model}`, access.allowsPlan(key, plan)]).toEqual([`${provider}/${model}`, access.allowsTarget(key, provider, model)]);
        }
      }
      for (const alias of ALIASES) {
        const plan: RoutePlan = { selector: alias, alias, targets: [target('openai', 'gpt-4o')] };
        expect([alias, access.allowsPlan(key, plan)]).toEqual([alias, access.allowsAlias(key, alias)]);
      }
    },
  );

  it('answers the 403 model_not_allowed for routes that run no admission', () => {
    const key = caller(['openai/*']);
    expect(() => access.assertTarget(key, 'anthropic', 'claude-haiku-4-5')).toThrow(expect.objectContaining({ status: 403, code: 'model_not_allowed', param: 'model' }));
    expect(() => access.assertPlan(key, { selector: 'o3', targets: [target('openai', 'o3')] })).not.toThrow();
  });
});
