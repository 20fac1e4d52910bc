import { Inject, Injectable, Optional } from '@nestjs/common';
import type { TokenUsage } from '@app/core';
import { SPEND_PRICING, type SpendPricing } from '@app/governance';
import { GatewayMetrics } from '@app/observability';
import { UsageWriter } from '@app/storage';
import type { Exchange } from '../pipeline/exchange';

/** One usage row's worth of a session: a response (or transcription) that reported usage, or a session that never reached its upstream. */
export interface RealtimeUsageEntry {
  readonly startedAt: Date;
  readonly latencyMs: number;
  readonly status: number;
  readonly usage?: TokenUsage;
  readonly errorType: string | null;
}

/**
 * Writes a realtime session's usage rows: one per `response.done` (and per completed input
 * transcription), under the session's request id, key and user path, endpoint `/v1/realtime`.
 * Handed to the buffered writer, never awaited; priced when the governance pricing is bound.
 */
@Injectable()
export class RealtimeUsage {
  constructor(
    private readonly writer: UsageWriter,
    private readonly metrics: GatewayMetrics,
    @Optional() @Inject(SPEND_PRICING) private readonly pricing?: SpendPricing,
  ) {}

  record(exchange: Exchange, entry: RealtimeUsageEntry): void {
    const { usage } = entry;
    const provider = exchange.provider ?? null;
    const model = exchange.model || null;
    this.writer.record({
      requestId: exchange.requestId,
      createdAt: entry.startedAt,
      provider,
      model,
      endpoint: exchange.route,
      status: entry.status,
      stream: true,
      inputTokens: usage?.inputTokens ?? 0,
      outputTokens: usage?.outputTokens ?? 0,
      cachedTokens: usage?.cachedTokens ?? 0,
      reasoningTokens: 0,
      latencyMs: Math.max(0, Math.round(entry.latencyMs)),
      timeToFirstTokenMs: null,
      keyId: exchange.caller.keyId,
      userPath: exchange.caller.userPath,
      errorType: entry.errorType,
      cost: usage && provider && model && this.pricing ? this.pricing.costOf({ provider, model }, usage) : null,
    });
    if (!usage || !provider || !model) return;
    this.metrics.countTokens(provider, model, 'input', usage.inputTokens);
    this.metrics.countTokens(provider, model, 'output', usage.outputTokens);
    this.metrics.countTokens(provider, model, 'cached', usage.cachedTokens);
  }
}
