import { GatewayError, requireWellFormedId } from '@app/core';
import type { InputItemsQuery } from '@app/storage';

/** Reads `after`, `limit` (1–100, default 20) and `order` (asc|desc, default desc); 400 naming a bad one. */
export function readInputItemsQuery(query: Record<string, unknown>): InputItemsQuery {
  const after = query.after;
  if (after !== undefined) requireWellFormedId(after, 'after');
  let limit = 20;
  if (query.limit !== undefined) {
    limit = Number(query.limit);
    if (typeof query.limit !== 'string' || !/^\d+$/.test(query.limit) || limit < 1 || limit > 100) {
      throw GatewayError.invalidRequest("'limit' must be an integer between 1 and 100.", 'limit', 'integer_out_of_range');
    }
  }
  const order = query.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw GatewayError.invalidRequest("'order' must be 'asc' or 'desc'.", 'order', 'invalid_value');
  return { after: after as string | undefined, limit, order };
}
