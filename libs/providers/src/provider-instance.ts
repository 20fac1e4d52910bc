import type { ProviderConfig } from '@app/config';
import type { ProviderAdapter } from './adapters/provider-adapter';
import type { CircuitBreaker } from './resilience/circuit-breaker';

/** A configured provider at run time: its config, the adapter that speaks its dialect, its breaker. */
export interface ProviderInstance {
  readonly name: string;
  readonly config: ProviderConfig;
  readonly adapter: ProviderAdapter;
  readonly breaker: CircuitBreaker;
}
