import type { ResolvedTarget } from '@app/providers';
import type { Exchange } from './exchange';

/**
 * Names the target that answered: on the exchange (usage row) and in the response headers, which
 * tell the client what actually served an alias or a failed-over request. Must run before the
 * answer's head is written.
 */
export function markServedBy(exchange: Exchange, target: ResolvedTarget): void {
  exchange.target = target;
  exchange.provider = target.provider.name;
  exchange.model = target.model;
  exchange.response.setHeader('x-switchyard-provider', target.provider.name);
  exchange.response.setHeader('x-switchyard-model', target.model);
}
