import { useMemo } from 'preact/hooks';
import { TimeChart } from '../chart';
import { formatCount, formatDuration, formatPercent, formatTime, formatUsd, percentile, periodSeconds } from '../format';
import { liveEmptyText, useLive } from '../live';
import type { ListOf, UsageGroup, UsagePeriod, UsageRow, UsageSummary } from '../types';
import { type Column, ErrorBox, Section, Stat, Table, useApi } from '../ui';

const usd = (value: number) => formatUsd(value);

function Charts({ periods }: { periods: UsagePeriod[] }) {
  const xs = useMemo(() => periods.map((row) => periodSeconds(row.period)), [periods]);
  const series = useMemo(
    () => ({
      requests: periods.map((row) => row.requests),
      errorRate: periods.map((row) => (row.requests ? row.errors / row.requests : 0)),
      tokens: periods.map((row) => row.input_tokens + row.output_tokens),
      cost: periods.map((row) => row.cost_micros),
    }),
    [periods],
  );
  if (periods.length === 0) return <p class="empty">No traffic in the last 30 days yet: send a request through the gateway (e.g. POST /v1/chat/completions) and reload.</p>;
  return (
    <div class="grid">
      <TimeChart label="Requests" xs={xs} ys={series.requests} />
      <TimeChart label="Error rate" xs={xs} ys={series.errorRate} format={formatPercent} />
      <TimeChart label="Tokens" xs={xs} ys={series.tokens} />
      <TimeChart label="Cost" xs={xs} ys={series.cost} format={usd} />
    </div>
  );
}

const groupColumns = (name: (row: UsageGroup) => string): Column<UsageGroup>[] => [
  { label: 'Name', cell: name },
  { label: 'Requests', cell: (row) => formatCount(row.requests), numeric: true },
  { label: 'Tokens', cell: (row) => formatCount(row.input_tokens + row.output_tokens), numeric: true },
  { label: 'Cost', cell: (row) => formatUsd(row.cost_micros), numeric: true },
];

function Latency() {
  const log = useApi<ListOf<UsageRow>>('/admin/usage/log?limit=200');
  const latencies = log.data?.data.map((row) => row.latency_ms) ?? [];
  return (
    <Section title="Latency (last 200 requests)" loaded={log}>
      {() => (
        <div class="stats">
          <Stat label="p50" value={formatDuration(percentile(latencies, 50))} />
          <Stat label="p95" value={formatDuration(percentile(latencies, 95))} />
        </div>
      )}
    </Section>
  );
}

function Ticker() {
  const live = useLive(20);
  const { events, error } = live;
  return (
    <section class="card" aria-label="Live requests">
      <h2>Live requests</h2>
      <ErrorBox error={error} />
      {events.length === 0 ? (
        <p class="empty">{liveEmptyText(live)}</p>
      ) : (
        <ul class="ticker">
          {events.map((event) => (
            <li>
              {formatTime(event.time)} {event.method} {event.path} <strong>{event.status}</strong> {event.model ?? ''} {formatDuration(event.latency_ms)}{' '}
              {event.key_name ?? event.key_id ?? ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function Overview() {
  const summary = useApi<UsageSummary>('/admin/usage/summary?days=30');
  const daily = useApi<ListOf<UsagePeriod>>('/admin/usage/daily?days=30');
  const models = useApi<ListOf<UsageGroup>>('/admin/usage/models?days=30&limit=5');
  const keys = useApi<ListOf<UsageGroup>>('/admin/usage/keys?days=30&limit=5');
  return (
    <>
      <h1>Overview</h1>
      <Section title="Last 30 days" loaded={summary}>
        {(data) => (
          <div class="stats">
            <Stat label="Requests" value={formatCount(data.requests)} />
            <Stat label="Error rate" value={formatPercent(data.error_rate)} />
            <Stat label="Tokens" value={formatCount(data.input_tokens + data.output_tokens)} />
            <Stat label="Cost" value={formatUsd(data.cost_micros)} />
            <Stat label="Avg latency" value={formatDuration(data.avg_latency_ms)} />
          </div>
        )}
      </Section>
      <Section title="Per day" loaded={daily}>
        {(data) => <Charts periods={data.data} />}
      </Section>
      <div class="grid">
        <Section title="Top models" loaded={models}>
          {(data) => <Table rows={data.data} columns={groupColumns((row) => `${row.provider ?? '?'} / ${row.model ?? '?'}`)} empty="No model traffic yet." />}
        </Section>
        <Section title="Top keys" loaded={keys}>
          {(data) => <Table rows={data.data} columns={groupColumns((row) => row.key_id ?? 'none')} empty="No key traffic yet." />}
        </Section>
      </div>
      <div class="grid">
        <Latency />
        <Ticker />
      </div>
    </>
  );
}
