import type { ModelCacheConfig, ResponseCacheConfig } from '@app/config';
import type { RoutePlan } from '@app/providers';
import { cacheKey } from './cache-key';
import { type CacheDirectives, parseCacheDirectives } from './cache-directives';

/** The routes whose answers the cache keeps, and the shape of their answers. */
export const CACHEABLE_ROUTES = {
  '/v1/chat/completions': 'chat',
  '/v1/embeddings': 'embeddings',
  '/v1/responses': 'responses',
  '/v1/messages': 'messages',
} as const;
export type CacheShape = (typeof CACHEABLE_ROUTES)[keyof typeof CACHEABLE_ROUTES];

/** A request the cache serves: where its entry lives and what the caller allows. */
export interface CacheLookup {
  readonly verdict: 'use';
  readonly key: string;
  readonly shape: CacheShape;
  /** `provider/model` of the target the entry is keyed on (the admin index is per model). */
  readonly target: string;
  readonly directives: CacheDirectives;
  readonly ttlMs: number;
}

/** A request the cache leaves alone, answered with `X-Switchyard-Cache: BYPASS`. */
export interface CacheBypass {
  readonly verdict: 'bypass';
}

export const BYPASS: CacheBypass = { verdict: 'bypass' };

export interface CacheRequest {
  readonly route: string;
  readonly body: Record<string, unknown>;
  readonly header: string | string[] | undefined;
  /** The caller's key id (null on an open gateway). */
  readonly keyId: string | null;
  readonly plan: RoutePlan;
}

/**
 * Decides, synchronously and before any I/O, whether and how a request uses the cache: undefined
 * for routes the cache does not cover (no header at all), BYPASS for a request it must not serve
 * (`no-store`, a model with the cache off, a non-deterministic request its model does not allow,
 * a Responses call that depends on stored state), else the entry's key and lifetime.
 */
export function decideCaching(request: CacheRequest, config: ResponseCacheConfig, models: Readonly<Record<string, ModelCacheConfig>>): CacheLookup | CacheBypass | undefined {
  const shape = (CACHEABLE_ROUTES as Record<string, CacheShape | undefined>)[request.route];
  const first = request.plan.targets[0];
  if (shape === undefined || first === undefined) return undefined;
  // Parsed first: a malformed header is refused whatever else applies.
  const directives = parseCacheDirectives(request.header);
  const target = `${first.provider.name}/${first.model}`;
  const model = models[request.plan.selector] ?? models[target] ?? models[first.model];
  if (directives.noStore || model?.enabled === false) return BYPASS;
  if (!(model?.allowNondeterministic ?? false) && !isDeterministic(shape, request.body)) return BYPASS;
  if (shape === 'responses' && dependsOnStoredState(request.body)) return BYPASS;
  const scope = (model?.scope ?? config.scope) === 'shared' ? 'shared' : `key:${request.keyId ?? 'open'}`;
  return {
    verdict: 'use',
    key: cacheKey({ scope, route: request.route, target, body: request.body }),
    shape,
    target,
    directives,
    ttlMs: directives.ttlMs ?? model?.ttlMs ?? config.ttlMs,
  };
}

/**
 * Whether the same request should get the same answer. Embeddings always do. A generation does
 * only with `temperature: 0` and one choice: an absent temperature is the provider's default
 * (1 for OpenAI and Anthropic), so it counts as non-deterministic.
 */
export function isDeterministic(shape: CacheShape, body: Record<string, unknown>): boolean {
  if (shape === 'embeddings') return true;
  const choices = body.n;
  if (choices !== undefined && choices !== null && choices !== 1) return false;
  return body.temperature === 0;
}

/** Background runs, conversations and continuations answer from gateway state that changes: never from the cache. */
function dependsOnStoredState(body: Record<string, unknown>): boolean {
  return body.background === true || (body.conversation !== undefined && body.conversation !== null) || typeof body.previous_response_id === 'string';
}
