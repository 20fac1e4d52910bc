import type { AttemptObserver, ResolvedTarget } from '@app/providers';
import type { Exchange } from './exchange';

/**
 * Names each target on the exchange as it is attempted, so a request that fails everywhere is
 * recorded (usage row, upstream metrics) against the last target it tried.
 */
export function nameAttempts(exchange: Exchange): AttemptObserver {
  return (target) => {
    exchange.provider = target.provider.name;
    exchange.model = target.model;
  };
}

/**
 * Names the target that answered: on the exchange (usage row) and in the response headers, which
 * tell the client what actually served an alias or a failed-over request. Must run before the
 * answer's head is written.
 */
export function markServedBy(exchange: Exchange, target: ResolvedTarget): void {
  exchange.provider = target.provider.name;
  exchange.model = target.model;
  exchange.response.setHeader('x-switchyard-provider', target.provider.name);
  exchange.response.setHeader('x-switchyard-model', target.model);
}
