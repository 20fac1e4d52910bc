import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import type { CostBreakdown } from '@app/core';
import { PricingService } from '@app/governance';
import { GatewayMetrics } from '@app/observability';
import { UsageWriter } from '@app/storage';
import { AuditCapture } from './audit-capture';
import type { Exchange } from './exchange';

/** A hit's cost: every part zero, the price source kept (it says how the saving was priced). */
const FREE = (cost: CostBreakdown): CostBreakdown => ({ ...cost, input: 0, cachedInput: 0, cacheWrite: 0, output: 0, reasoning: 0, audioInput: 0, audioOutput: 0, total: 0 });

/**
 * Turns a finished exchange into its usage record, audit entry and metrics. Runs on the response's `close`
 * event, after the client has its answer: nothing here is awaited by the request. A client that
 * left before its answer is recorded with status 499 (set by the pipeline).
 */
@Injectable()
export class ExchangeRecorder {
  constructor(
    private readonly metrics: GatewayMetrics,
    private readonly usageWriter: UsageWriter,
    private readonly audit: AuditCapture,
    private readonly pricing: PricingService,
  ) {}

  record(exchange: Exchange, recordsUsage: boolean): void {
    const now = performance.now();
    const status = exchange.response.statusCode;
    this.metrics.observeHttp(exchange.route, exchange.request.method ?? 'GET', status, (now - exchange.startedAt) / 1000);
    const hit = exchange.cache === 'HIT';
    // A hit reached no provider: upstream latency and token counters would count a call that never happened.
    if (exchange.provider && exchange.model && !hit) this.observeUpstream(exchange, now);
    if (exchange.cache !== undefined) this.metrics.countCache(exchange.cache, hit ? exchange.usage : undefined);
    this.audit.recordExchange(exchange, now);
    if (!recordsUsage) return;
    const usage = exchange.usage;
    // Priced here, on close: the client already has its answer, and the lookup is cached per provider+model.
    const cost = usage && exchange.provider && exchange.model ? this.pricing.recordCost({ provider: exchange.provider, model: exchange.model }, usage) : null;
    this.usageWriter.record({
      requestId: exchange.requestId,
      createdAt: new Date(Date.now() - (now - exchange.startedAt)),
      provider: exchange.provider ?? null,
      model: exchange.model ?? null,
      endpoint: exchange.route,
      status,
      stream: exchange.stream,
      inputTokens: usage?.inputTokens ?? 0,
      outputTokens: usage?.outputTokens ?? 0,
      cachedTokens: usage?.cachedTokens ?? 0,
      reasoningTokens: usage?.reasoningTokens ?? 0,
      cacheWriteTokens: usage?.cacheWriteTokens ?? 0,
      audioInputTokens: usage?.audioInputTokens ?? 0,
      audioOutputTokens: usage?.audioOutputTokens ?? 0,
      audioDurationMs: usage?.audioSeconds === undefined ? null : usage.audioSeconds * 1000,
      inputCharacters: usage?.inputCharacters ?? null,
      // A hit cost the provider nothing; what the call would have cost is what the cache saved.
      cost: hit && cost ? FREE(cost) : cost,
      cacheHit: hit,
      savedCostMicros: hit && cost ? cost.total : null,
      latencyMs: Math.round(now - exchange.startedAt),
      timeToFirstTokenMs: exchange.firstTokenAt === undefined ? null : Math.round(exchange.firstTokenAt - exchange.startedAt),
      keyId: exchange.caller?.keyId ?? null,
      userPath: exchange.caller.userPath,
      errorType: exchange.errorType ?? (exchange.response.writableFinished ? null : 'client_closed'),
    });
  }

  private observeUpstream(exchange: Exchange, now: number): void {
    const provider = exchange.provider!;
    const model = exchange.model!;
    const endedAt = exchange.upstreamEndedAt ?? now;
    this.metrics.observeUpstream(provider, model, exchange.upstreamStatus ?? 'error', (endedAt - exchange.startedAt) / 1000);
    if (exchange.firstTokenAt !== undefined) {
      this.metrics.observeTimeToFirstToken(provider, model, (exchange.firstTokenAt - exchange.startedAt) / 1000);
    }
    const usage = exchange.usage;
    if (!usage) return;
    this.metrics.countTokens(provider, model, 'input', usage.inputTokens);
    this.metrics.countTokens(provider, model, 'output', usage.outputTokens);
    this.metrics.countTokens(provider, model, 'cached', usage.cachedTokens);
    this.metrics.countTokens(provider, model, 'reasoning', usage.reasoningTokens);
  }
}
