import type { BreakerState } from '@app/observability';

export interface CircuitBreakerOptions {
  readonly failureThreshold: number;
  readonly cooldownMs: number;
  readonly onStateChange?: (state: BreakerState) => void;
  readonly now?: () => number;
}

/**
 * Per-provider circuit breaker. Closed: calls flow, consecutive failures are counted. Open: calls
 * fail fast until the cooldown passes. Half-open: one trial call is let through; its success
 * closes the breaker, its failure opens it again.
 */
export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get currentState(): BreakerState {
    return this.state;
  }

  /** Asks to make a call; false means fail fast. A true answer must be followed by success() or failure(). */
  tryAcquire(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (this.now() - this.openedAt < this.options.cooldownMs) return false;
      this.transition('half_open');
    }
    if (this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  /** When the breaker last opened (epoch ms); undefined while it never has. */
  get lastOpenedAt(): number | undefined {
    return this.openedAt === 0 ? undefined : this.openedAt;
  }

  /** Milliseconds until an open breaker lets a trial through. */
  retryInMs(): number {
    return this.state === 'open' ? Math.max(0, this.options.cooldownMs - (this.now() - this.openedAt)) : 0;
  }

  success(): void {
    this.consecutiveFailures = 0;
    this.trialInFlight = false;
    if (this.state !== 'closed') this.transition('closed');
  }

  failure(): void {
    this.trialInFlight = false;
    this.consecutiveFailures++;
    if (this.state === 'half_open' || this.consecutiveFailures >= this.options.failureThreshold) {
      this.openedAt = this.now();
      if (this.state !== 'open') this.transition('open');
    }
  }

  /** Releases a permit without judging the provider (e.g. the client aborted, or a 4xx). */
  release(): void {
    this.trialInFlight = false;
  }

  private transition(state: BreakerState): void {
    this.state = state;
    this.options.onStateChange?.(state);
  }
}
