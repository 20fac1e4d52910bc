import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { BREAKER_STATE_VALUE, type BreakerState, type FailoverReason, METRIC, type TokenKind } from './metric-names';

/**
 * The gateway's metrics behind intention-revealing methods. Labels are bounded by design: route
 * templates, configured provider names, resolved model ids and statuses — never raw URLs or keys.
 */
@Injectable()
export class GatewayMetrics {
  constructor(
    @InjectMetric(METRIC.httpRequests) private readonly httpRequests: Counter<string>,
    @InjectMetric(METRIC.httpDuration) private readonly httpDuration: Histogram<string>,
    @InjectMetric(METRIC.upstreamRequests) private readonly upstreamRequests: Counter<string>,
    @InjectMetric(METRIC.upstreamDuration) private readonly upstreamDuration: Histogram<string>,
    @InjectMetric(METRIC.tokens) private readonly tokens: Counter<string>,
    @InjectMetric(METRIC.timeToFirstToken) private readonly timeToFirstToken: Histogram<string>,
    @InjectMetric(METRIC.upstreamRetries) private readonly upstreamRetries: Counter<string>,
    @InjectMetric(METRIC.circuitBreakerState) private readonly breakerState: Gauge<string>,
    @InjectMetric(METRIC.usageRecordsDropped) private readonly usageDropped: Counter<string>,
    @InjectMetric(METRIC.usageRecordsWritten) private readonly usageWritten: Counter<string>,
    @InjectMetric(METRIC.failovers) private readonly failovers: Counter<string>,
  ) {}

  observeHttp(route: string, method: string, status: number, seconds: number): void {
    const labels = { route, method, status: String(status) };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }

  observeUpstream(provider: string, model: string, status: number | 'error', seconds: number): void {
    const labels = { provider, model, status: String(status) };
    this.upstreamRequests.inc(labels);
    this.upstreamDuration.observe(labels, seconds);
  }

  countTokens(provider: string, model: string, kind: TokenKind, count: number): void {
    if (count > 0) this.tokens.inc({ provider, model, kind }, count);
  }

  observeTimeToFirstToken(provider: string, model: string, seconds: number): void {
    this.timeToFirstToken.observe({ provider, model }, seconds);
  }

  countRetry(provider: string, reason: string): void {
    this.upstreamRetries.inc({ provider, reason });
  }

  setBreakerState(provider: string, state: BreakerState): void {
    this.breakerState.set({ provider }, BREAKER_STATE_VALUE[state]);
  }

  countUsageDropped(reason: 'buffer_full' | 'write_failed', count = 1): void {
    this.usageDropped.inc({ reason }, count);
  }

  countUsageWritten(count: number): void {
    this.usageWritten.inc(count);
  }

  /** `from` and `to` are configured provider names, so the labels stay bounded. */
  countFailover(from: string, to: string, reason: FailoverReason): void {
    this.failovers.inc({ from, to, reason });
  }
}
