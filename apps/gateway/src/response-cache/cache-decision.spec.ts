import type { ResponseCacheConfig } from '@app/config';
import type { RoutePlan } from '@app/providers';
import { decideCaching, isDeterministic } from './cache-decision';

const config: ResponseCacheConfig = {
  enabled: true,
  ttlMs: 3_600_000,
  scope: 'per_key',
  maxEntryBytes: 1024,
  compressThresholdBytes: 512,
  hitsConsumeTokenLimits: false,
  lockWaitMs: 100,
};
const plan = { selector: 'fast', targets: [{ provider: { name: 'openai' }, model: 'gpt-4o-mini' }] } as unknown as RoutePlan;
const request = (body: Record<string, unknown>, extra: Partial<Parameters<typeof decideCaching>[0]> = {}) => ({
  route: '/v1/chat/completions',
  body,
  header: undefined,
  keyId: 'key_a',
  plan,
  ...extra,
});
const deterministic = { model: 'fast', temperature: 0, messages: [] };

describe('decideCaching', () => {
  it('leaves routes it does not cover alone (no verdict, no header)', () => {
    expect(decideCaching(request(deterministic, { route: '/v1/audio/speech' }), config, {})).toBeUndefined();
  });

  it('keys a deterministic request with the default TTL, per key', () => {
    const decision = decideCaching(request(deterministic), config, {});
    expect(decision).toMatchObject({ verdict: 'use', shape: 'chat', target: 'openai/gpt-4o-mini', ttlMs: 3_600_000 });
    const other = decideCaching(request(deterministic, { keyId: 'key_b' }), config, {});
    expect(other).toMatchObject({ verdict: 'use' });
    expect((other as { key: string }).key).not.toBe((decision as { key: string }).key);
  });

  it('shares entries between keys when the model (alias) says shared, and takes its TTL; the header TTL wins', () => {
    const models = { fast: { scope: 'shared' as const, ttlMs: 60_000 } };
    const a = decideCaching(request(deterministic), config, models) as { key: string; ttlMs: number };
    const b = decideCaching(request(deterministic, { keyId: 'key_b' }), config, models) as { key: string };
    expect(a.key).toBe(b.key);
    expect(a.ttlMs).toBe(60_000);
    expect(decideCaching(request(deterministic, { header: 'ttl=5' }), config, models)).toMatchObject({ ttlMs: 5_000 });
  });

  it('bypasses no-store, a model with the cache off, and non-deterministic requests unless allowed', () => {
    expect(decideCaching(request(deterministic, { header: 'no-store' }), config, {})).toEqual({ verdict: 'bypass' });
    expect(decideCaching(request(deterministic), config, { 'openai/gpt-4o-mini': { enabled: false } })).toEqual({ verdict: 'bypass' });
    expect(decideCaching(request({ ...deterministic, temperature: 0.7 }), config, {})).toEqual({ verdict: 'bypass' });
    expect(decideCaching(request({ ...deterministic, temperature: 0.7 }), config, { 'gpt-4o-mini': { allowNondeterministic: true } })).toMatchObject({ verdict: 'use' });
  });

  it('bypasses Responses calls that depend on stored state', () => {
    const responses = { route: '/v1/responses' };
    expect(decideCaching(request({ ...deterministic, previous_response_id: 'resp_1' }, responses), config, {})).toEqual({ verdict: 'bypass' });
    expect(decideCaching(request({ ...deterministic, conversation: 'conv_1' }, responses), config, {})).toEqual({ verdict: 'bypass' });
    expect(decideCaching(request({ ...deterministic, background: true }, responses), config, {})).toEqual({ verdict: 'bypass' });
    expect(decideCaching(request(deterministic, responses), config, {})).toMatchObject({ verdict: 'use', shape: 'responses' });
  });
});

describe('isDeterministic', () => {
  it('counts embeddings always, generations only at temperature 0 with one choice (absent temperature is the provider default)', () => {
    expect(isDeterministic('embeddings', {})).toBe(true);
    expect(isDeterministic('chat', {})).toBe(false);
    expect(isDeterministic('chat', { temperature: 0 })).toBe(true);
    expect(isDeterministic('chat', { temperature: 0, n: 1 })).toBe(true);
    expect(isDeterministic('chat', { temperature: 0, n: 2 })).toBe(false);
    expect(isDeterministic('messages', { temperature: 1 })).toBe(false);
  });
});
