import { type JsonObject, type ResponseItem } from '@app/responses';

/**
 * Prior turns rebuilt for a native upstream that cannot resolve them itself (the chain was served
 * by another provider, or lives in a gateway conversation): items without the gateway's ids and
 * statuses, which the provider would try to look up, and without reasoning items, which a provider
 * only accepts back from itself.
 */
export function historyForNative(items: readonly ResponseItem[]): JsonObject[] {
  return items
    .filter((item) => item.type !== 'reasoning')
    .map((item) => {
      const { id: _id, status: _status, ...rest } = item;
      return rest;
    });
}

/** The client's `input` as items (a string is one user message), untouched otherwise. */
export function clientInputItems(input: unknown): unknown[] {
  if (input === undefined || input === null) return [];
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  return Array.isArray(input) ? input : [input];
}
