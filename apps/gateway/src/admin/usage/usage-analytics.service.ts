import { Injectable } from '@nestjs/common';
import { GatewayError } from '@app/core';
import {
  type GroupTotals,
  InvalidCursorError,
  type LogPage,
  type LogPageQuery,
  UsageAnalyticsRepository,
  type UsageDimension,
  type UsageRecordEntity,
  type UsageTotals,
} from '@app/storage';
import { windowOf } from '../time-window';
import type { WindowQueryDto } from '../window-query.dto';
import { foldPeriods } from './local-periods';
import type { BreakdownQueryDto, DailyQueryDto, UsageBreakdownDto, UsageGroupDto, UsageLogDto, UsageRowDto, UsageSeriesDto, UsageSummaryDto, UsageTotalsDto } from './usage.dto';

/** Usage analytics for the console: totals, series and breakdowns from the hourly rollups, the raw log by keyset. */
@Injectable()
export class UsageAnalyticsService {
  constructor(private readonly analytics: UsageAnalyticsRepository) {}

  async summary(query: WindowQueryDto): Promise<UsageSummaryDto> {
    const window = windowOf(query);
    const totals = await this.analytics.totals(window);
    return {
      object: 'usage.summary',
      start: window.start.toISOString(),
      end: window.end.toISOString(),
      ...totalsDto(totals),
      error_rate: totals.requests === 0 ? 0 : totals.errors / totals.requests,
    };
  }

  async series(query: DailyQueryDto): Promise<UsageSeriesDto> {
    const window = windowOf(query);
    const interval = query.interval ?? 'daily';
    const tz = query.tz ?? 'UTC';
    const periods = foldPeriods(await this.analytics.hourly(window), interval, tz);
    return {
      object: 'list',
      interval,
      tz,
      start: window.start.toISOString(),
      end: window.end.toISOString(),
      data: periods.map(({ period, totals }) => ({ period, ...totalsDto(totals) })),
    };
  }

  async breakdown(query: BreakdownQueryDto, dimension: UsageDimension): Promise<UsageBreakdownDto> {
    const window = windowOf(query);
    const groups = await this.analytics.breakdown(window, dimension, query.limit ?? 100);
    return { object: 'list', start: window.start.toISOString(), end: window.end.toISOString(), data: groups.map((group) => groupDto(group, dimension)) };
  }

  async log(query: LogPageQuery): Promise<UsageLogDto> {
    const page = await pageOrBadCursor(() => this.analytics.log(query));
    return { object: 'list', data: page.data.map(rowDto), has_more: page.nextCursor !== null, next_cursor: page.nextCursor };
  }
}

/** A page, with a cursor this API did not hand out answered as a 400 naming `cursor`. */
export async function pageOrBadCursor<T>(load: () => Promise<LogPage<T>>): Promise<LogPage<T>> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof InvalidCursorError) throw GatewayError.invalidRequest(error.message, 'cursor');
    throw error;
  }
}

function totalsDto(totals: UsageTotals): UsageTotalsDto {
  return {
    requests: totals.requests,
    errors: totals.errors,
    input_tokens: totals.inputTokens,
    output_tokens: totals.outputTokens,
    cached_tokens: totals.cachedTokens,
    reasoning_tokens: totals.reasoningTokens,
    cost_micros: totals.costMicros,
    avg_latency_ms: totals.requests === 0 ? null : Math.round(totals.latencyMsTotal / totals.requests),
  };
}

function groupDto(group: GroupTotals, dimension: UsageDimension): UsageGroupDto {
  const keys = dimension === 'model' ? { provider: group.provider, model: group.model } : dimension === 'keyId' ? { key_id: group.keyId } : { user_path: group.userPath };
  return { ...keys, ...totalsDto(group) };
}

function rowDto(row: UsageRecordEntity): UsageRowDto {
  return {
    id: row.id,
    request_id: row.requestId,
    created_at: row.createdAt.toISOString(),
    provider: row.provider,
    model: row.model,
    endpoint: row.endpoint,
    status: row.status,
    stream: row.stream,
    input_tokens: row.inputTokens,
    output_tokens: row.outputTokens,
    cached_tokens: row.cachedTokens,
    reasoning_tokens: row.reasoningTokens,
    latency_ms: row.latencyMs,
    time_to_first_token_ms: row.timeToFirstTokenMs,
    key_id: row.keyId,
    user_path: row.userPath,
    error_type: row.errorType,
  };
}
