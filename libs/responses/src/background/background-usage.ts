import type { CostBreakdown, TokenUsage } from '@app/core';
import type { GatewayMetrics } from '@app/observability';
import type { NewUsageRecord } from '@app/storage';

export interface BackgroundRun {
  readonly responseId: string;
  readonly provider: string;
  readonly model: string;
  readonly keyId: string | null;
  readonly userPath: string | null;
  readonly startedAt: number;
  readonly status: number | 'error';
  readonly usage?: TokenUsage;
  readonly errorType?: string;
}

/** The usage record of a background run, written like a foreground exchange's (endpoint /v1/responses). */
export function backgroundUsageRecord(run: BackgroundRun, cost: CostBreakdown | null): NewUsageRecord {
  const latencyMs = Date.now() - run.startedAt;
  return {
    requestId: run.responseId,
    createdAt: new Date(run.startedAt),
    provider: run.provider,
    model: run.model,
    endpoint: '/v1/responses',
    status: run.status === 'error' ? 502 : run.status,
    stream: false,
    inputTokens: run.usage?.inputTokens ?? 0,
    outputTokens: run.usage?.outputTokens ?? 0,
    cachedTokens: run.usage?.cachedTokens ?? 0,
    reasoningTokens: run.usage?.reasoningTokens ?? 0,
    cacheWriteTokens: run.usage?.cacheWriteTokens ?? 0,
    audioInputTokens: run.usage?.audioInputTokens ?? 0,
    audioOutputTokens: run.usage?.audioOutputTokens ?? 0,
    cost,
    latencyMs,
    timeToFirstTokenMs: null,
    keyId: run.keyId,
    userPath: run.userPath,
    errorType: run.errorType ?? null,
  };
}

/** Upstream and token metrics of a background run, as the gateway observes them for exchanges. */
export function observeBackgroundRun(metrics: GatewayMetrics, run: BackgroundRun): void {
  metrics.observeUpstream(run.provider, run.model, run.status, (Date.now() - run.startedAt) / 1000);
  if (!run.usage) return;
  metrics.countTokens(run.provider, run.model, 'input', run.usage.inputTokens);
  metrics.countTokens(run.provider, run.model, 'output', run.usage.outputTokens);
  metrics.countTokens(run.provider, run.model, 'cached', run.usage.cachedTokens);
  metrics.countTokens(run.provider, run.model, 'reasoning', run.usage.reasoningTokens);
}
