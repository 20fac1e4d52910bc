import type { ProviderInstance } from '../provider-instance';

/** Where a request goes: the provider instance and the model id that provider knows. */
export interface ResolvedTarget {
  readonly provider: ProviderInstance;
  readonly model: string;
}

/**
 * The ordered targets for one request: the first is tried first, each next one when the previous
 * could not serve the request before its first byte reached the client. Never empty, no duplicates.
 */
export interface RoutePlan {
  /** The model selector as the client sent it. */
  readonly selector: string;
  /** The alias the selector named, when it named one. */
  readonly alias?: string;
  readonly targets: readonly ResolvedTarget[];
}

/** A source of uniform numbers in [0, 1), injectable so tests can seed the weighted pick. */
export type RandomSource = () => number;

/** Injection token for the RandomSource of the weighted pick; Math.random when not bound. */
export const ROUTE_RANDOM = Symbol('ROUTE_RANDOM');

/**
 * Orders weighted items by repeated weighted picks without replacement: the first is the weighted
 * pick (3:1 weights put the first item first 75 % of the time), each next one is picked among the
 * rest the same way, so the traffic that fails over keeps the configured proportions too.
 */
export function weightedOrder<T extends { readonly weight: number }>(items: readonly T[], random: RandomSource): T[] {
  if (items.length === 1) return [items[0]];
  const pool = [...items];
  const ordered: T[] = [];
  let total = pool.reduce((sum, item) => sum + item.weight, 0);
  while (pool.length > 0) {
    let point = random() * total;
    let index = 0;
    while (index < pool.length - 1 && point >= pool[index].weight) point -= pool[index++].weight;
    const [picked] = pool.splice(index, 1);
    total -= picked.weight;
    ordered.push(picked);
  }
  return ordered;
}
