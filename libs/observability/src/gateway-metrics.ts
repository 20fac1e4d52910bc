import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { type LabelCatalogue, MetricLabels } from './metric-labels';
import { BREAKER_STATE_VALUE, type BreakerState, type CacheResult, type FailoverReason, METRIC, type TokenKind } from './metric-names';

/**
 * The gateway's metrics behind intention-revealing methods. Every label value passes through
 * MetricLabels here, whoever the caller: route templates, configured provider names, models of the
 * provider's inventory, standard methods and statuses; anything else is `other`.
 */
@Injectable()
export class GatewayMetrics {
  private readonly labels = new MetricLabels();

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
    @InjectMetric(METRIC.auditEntriesDropped) private readonly auditDropped: Counter<string>,
    @InjectMetric(METRIC.auditEntriesWritten) private readonly auditWritten: Counter<string>,
    @InjectMetric(METRIC.costUnknown) private readonly costUnknown: Counter<string>,
    @InjectMetric(METRIC.cacheRequests) private readonly cacheRequests: Counter<string>,
    @InjectMetric(METRIC.cacheSavedTokens) private readonly cacheSavedTokens: Counter<string>,
  ) {}

  /** Where provider and model labels are checked; the model inventory registers itself at boot. */
  useLabelCatalogue(catalogue: LabelCatalogue): void {
    this.labels.useCatalogue(catalogue);
  }

  observeHttp(route: string, method: string, status: number, seconds: number): void {
    const labels = { route: this.labels.route(route), method: this.labels.method(method), status: this.labels.status(status) };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }

  observeUpstream(provider: string, model: string, status: number | 'error', seconds: number): void {
    const labels = { provider: this.labels.provider(provider), model: this.labels.model(provider, model), status: this.labels.status(status) };
    this.upstreamRequests.inc(labels);
    this.upstreamDuration.observe(labels, seconds);
  }

  countTokens(provider: string, model: string, kind: TokenKind, count: number): void {
    if (count > 0) this.tokens.inc({ provider: this.labels.provider(provider), model: this.labels.model(provider, model), kind }, count);
  }

  /** One response-cache verdict; on a hit, the tokens the provider was spared. */
  countCache(result: CacheResult, saved?: { readonly inputTokens: number; readonly outputTokens: number }): void {
    this.cacheRequests.inc({ result });
    if (!saved) return;
    if (saved.inputTokens > 0) this.cacheSavedTokens.inc({ kind: 'input' }, saved.inputTokens);
    if (saved.outputTokens > 0) this.cacheSavedTokens.inc({ kind: 'output' }, saved.outputTokens);
  }

  observeTimeToFirstToken(provider: string, model: string, seconds: number): void {
    this.timeToFirstToken.observe({ provider: this.labels.provider(provider), model: this.labels.model(provider, model) }, seconds);
  }

  countRetry(provider: string, reason: string): void {
    this.upstreamRetries.inc({ provider: this.labels.provider(provider), reason: this.labels.reason(reason) });
  }

  /** Called by the provider registry with configured names only, before any catalogue exists. */
  setBreakerState(provider: string, state: BreakerState): void {
    this.breakerState.set({ provider }, BREAKER_STATE_VALUE[state]);
  }

  countUsageDropped(reason: 'buffer_full' | 'write_failed', count = 1): void {
    this.usageDropped.inc({ reason }, count);
  }

  countUsageWritten(count: number): void {
    this.usageWritten.inc(count);
  }

  countAuditDropped(reason: 'buffer_full' | 'write_failed', count = 1): void {
    this.auditDropped.inc({ reason }, count);
  }

  countAuditWritten(count: number): void {
    this.auditWritten.inc(count);
  }

  /** `reason` is an enum; `from` and `to` pass the same provider bound as every other label. */
  countFailover(from: string, to: string, reason: FailoverReason): void {
    this.failovers.inc({ from: this.labels.provider(from), to: this.labels.provider(to), reason });
  }

  /** A usage record priced at nothing known: an operator adds an override (or updates the price data). */
  countCostUnknown(provider: string, model: string): void {
    this.costUnknown.inc({ provider: this.labels.provider(provider), model: this.labels.model(provider, model) });
  }
}
