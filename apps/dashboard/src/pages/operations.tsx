import { useState } from 'preact/hooks';
import { api } from '../api';
import { formatCount, formatDuration, formatPercent, formatTime, formatUsd } from '../format';
import type { Budget, ListOf, UsageGroup, UsagePeriod } from '../types';
import { type Column, ErrorBox, Section, Table, useApi } from '../ui';

const totals = (name: (row: UsageGroup & UsagePeriod) => string): Column<UsageGroup & UsagePeriod>[] => [
  { label: 'Name', cell: name },
  { label: 'Requests', cell: (row) => formatCount(row.requests), numeric: true },
  { label: 'Errors', cell: (row) => formatCount(row.errors), numeric: true },
  { label: 'Input', cell: (row) => formatCount(row.input_tokens), numeric: true },
  { label: 'Cached', cell: (row) => formatCount(row.cached_tokens), numeric: true },
  { label: 'Output', cell: (row) => formatCount(row.output_tokens), numeric: true },
  { label: 'Reasoning', cell: (row) => formatCount(row.reasoning_tokens), numeric: true },
  { label: 'Cost', cell: (row) => formatUsd(row.cost_micros), numeric: true },
  { label: 'Avg latency', cell: (row) => formatDuration(row.avg_latency_ms), numeric: true },
];

const BREAKDOWNS = [
  { path: 'models', label: 'model', name: (row: UsageGroup) => `${row.provider ?? '?'} / ${row.model ?? '?'}` },
  { path: 'keys', label: 'key', name: (row: UsageGroup) => row.key_id ?? 'none' },
  { path: 'user-paths', label: 'user path', name: (row: UsageGroup) => row.user_path ?? 'none' },
];

export function Usage() {
  const [interval, setInterval] = useState('daily');
  const [by, setBy] = useState(0);
  const days = interval === 'daily' ? 30 : interval === 'weekly' ? 91 : 365;
  const series = useApi<ListOf<UsagePeriod>>(`/admin/usage/daily?interval=${interval}&days=${days}`);
  const breakdown = BREAKDOWNS[by];
  const groups = useApi<ListOf<UsageGroup>>(`/admin/usage/${breakdown.path}?days=${days}`);
  return (
    <>
      <h1>Usage</h1>
      <div class="card filters">
        <label>
          Period
          <select value={interval} onChange={(event) => setInterval((event.target as HTMLSelectElement).value)}>
            <option value="daily">Day (30 days)</option>
            <option value="weekly">Week (13 weeks)</option>
            <option value="monthly">Month (12 months)</option>
          </select>
        </label>
        <label>
          Group by
          <select value={by} onChange={(event) => setBy(Number((event.target as HTMLSelectElement).value))}>
            {BREAKDOWNS.map((option, index) => (
              <option value={index}>{option.label}</option>
            ))}
          </select>
        </label>
      </div>
      <Section title={`Per ${interval.replace('ly', '').replace('dai', 'day')}`} loaded={series}>
        {(data) => <Table rows={data.data} columns={totals((row) => row.period)} empty="No traffic in this window yet." />}
      </Section>
      <Section title={`Per ${breakdown.label}`} loaded={groups}>
        {(data) => <Table rows={data.data as (UsageGroup & UsagePeriod)[]} columns={totals(breakdown.name)} empty="No traffic in this window yet." />}
      </Section>
    </>
  );
}

/** Sets a budget (PUT /admin/budgets): for a key id or a user path, an amount in USD and a period. */
function SetBudget({ onSaved }: { onSaved: () => void }) {
  const [form, setForm] = useState({ target: 'user_path', selector: '', usd: '', period: 'monthly' });
  const [error, setError] = useState<string>();
  const field = (name: keyof typeof form) => (event: Event) => setForm({ ...form, [name]: (event.target as HTMLInputElement).value });
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      await api('/admin/budgets', { method: 'PUT', body: { [form.target]: form.selector.trim(), period: form.period, amount_micros: Math.round(Number(form.usd) * 1_000_000) } });
      setForm({ ...form, selector: '', usd: '' });
      onSaved();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <form class="card form" onSubmit={(event) => void submit(event)} aria-label="Set a budget">
      <h2>Set a budget</h2>
      <label>
        For{' '}
        <select name="target" value={form.target} onChange={field('target')}>
          <option value="user_path">user path</option>
          <option value="key_id">key id</option>
        </select>
      </label>
      <label>
        {form.target === 'user_path' ? 'User path' : 'Key id'}{' '}
        <input name="selector" required placeholder={form.target === 'user_path' ? '/team' : 'key_…'} value={form.selector} onInput={field('selector')} />
      </label>
      <label>
        Amount in USD <input name="usd" type="number" min="0" step="0.01" required value={form.usd} onInput={field('usd')} />
      </label>
      <label>
        Period{' '}
        <select name="period" value={form.period} onChange={field('period')}>
          <option value="daily">daily</option>
          <option value="weekly">weekly</option>
          <option value="monthly">monthly</option>
        </select>
      </label>
      <ErrorBox error={error} />
      <button type="submit">Save budget</button>
    </form>
  );
}

export function Budgets() {
  const budgets = useApi<ListOf<Budget>>('/admin/budgets?limit=100');
  const [error, setError] = useState<string>();
  const reset = (budget: Budget) =>
    api('/admin/budgets/reset', { method: 'POST', body: budget.key_id ? { key_id: budget.key_id } : { user_path: budget.user_path } }).then(budgets.reload, (failure: unknown) =>
      setError(failure instanceof Error ? failure.message : String(failure)),
    );
  return (
    <>
      <h1>Budgets</h1>
      <SetBudget onSaved={budgets.reload} />
      <ErrorBox error={error} />
      <Section title="Budgets" loaded={budgets}>
        {(data) => (
          <Table
            rows={data.data}
            empty="No budgets yet: set one above (or PUT /admin/budgets) for a key id or a user path."
            columns={[
              { label: 'For', cell: (row) => (row.key_id ? `key ${row.key_id}` : `path ${row.user_path ?? '?'}`) },
              { label: 'Period', cell: (row) => `${row.period ?? 'custom'}: ${formatTime(row.period_start)} – ${formatTime(row.period_end)}` },
              {
                label: 'Spent',
                cell: (row) => `${formatUsd(row.spent_micros)} of ${formatUsd(row.amount_micros)} (${formatPercent(row.amount_micros ? row.spent_micros / row.amount_micros : 0)})`,
              },
              { label: 'Remaining', cell: (row) => formatUsd(row.remaining_micros), numeric: true },
              {
                label: 'Action',
                cell: (row) => (
                  <button type="button" onClick={() => void reset(row)}>
                    Reset
                  </button>
                ),
              },
            ]}
          />
        )}
      </Section>
    </>
  );
}

interface AdminModel {
  id: string;
  kind: string;
  provider: string | null;
  routes: string[];
  price: { input_per_mtok_micros: number; output_per_mtok_micros: number } | null;
}

export function ModelsPage() {
  const models = useApi<ListOf<AdminModel>>('/admin/models');
  return (
    <>
      <h1>Models &amp; routing</h1>
      <Section title="Models and aliases" loaded={models}>
        {(data) => (
          <Table
            rows={data.data}
            empty="No models: configure a provider (e.g. OPENAI_API_KEY) and refresh on the Providers page."
            columns={[
              { label: 'Id', cell: (row) => row.id },
              { label: 'Kind', cell: (row) => row.kind },
              { label: 'Provider', cell: (row) => row.provider ?? '—' },
              { label: 'Aliases / fallback chain', cell: (row) => row.routes.join(' → ') || '—' },
              {
                label: 'Price per 1M in / out',
                cell: (row) => (row.price ? `${formatUsd(row.price.input_per_mtok_micros)} / ${formatUsd(row.price.output_per_mtok_micros)}` : 'unknown'),
              },
            ]}
          />
        )}
      </Section>
    </>
  );
}

interface ProviderStatus {
  name: string;
  type: string;
  base_url: string;
  model_count: number;
  last_refresh_at: string | null;
  last_refresh_error?: string | null;
  circuit: { state: string; retry_in_ms: number };
  last_5m: { requests: number; error_rate: number };
}

export function Providers() {
  const providers = useApi<ListOf<ProviderStatus>>('/admin/providers/status');
  const [message, setMessage] = useState<string>();
  const refresh = () =>
    api<{ ok: boolean; steps: { step: string; ok: boolean; error?: string }[] }>('/admin/runtime/refresh', { method: 'POST' }).then(
      (result) => {
        setMessage(
          result.ok
            ? 'Refreshed.'
            : `Refresh failed: ${result.steps
                .filter((step) => !step.ok)
                .map((step) => `${step.step}: ${step.error ?? '?'}`)
                .join('; ')}`,
        );
        providers.reload();
      },
      (failure: unknown) => setMessage(failure instanceof Error ? failure.message : String(failure)),
    );
  return (
    <>
      <h1>Providers</h1>
      <button type="button" onClick={() => void refresh()}>
        Refresh models and config
      </button>
      {message && <p role="status">{message}</p>}
      <Section title="Status" loaded={providers}>
        {(data) => (
          <Table
            rows={data.data}
            empty="No providers configured: set a provider's key (e.g. OPENAI_API_KEY) or providers in SWITCHYARD_CONFIG."
            columns={[
              { label: 'Name', cell: (row) => `${row.name} (${row.type})` },
              { label: 'Base URL', cell: (row) => row.base_url },
              { label: 'Circuit', cell: (row) => row.circuit.state },
              { label: 'Models', cell: (row) => formatCount(row.model_count), numeric: true },
              { label: 'Last refresh', cell: (row) => `${formatTime(row.last_refresh_at)} ${row.last_refresh_error ?? ''}` },
              { label: 'Last 5 min', cell: (row) => `${row.last_5m.requests} req, ${formatPercent(row.last_5m.error_rate)} errors` },
            ]}
          />
        )}
      </Section>
    </>
  );
}

export function Settings() {
  const config = useApi<{ config: Record<string, unknown>; version?: string }>('/admin/runtime/config');
  return (
    <>
      <h1>Settings</h1>
      <Section title="Runtime configuration (credentials redacted)" loaded={config}>
        {(data) => (
          <>
            {data.version && <p>Version {data.version}</p>}
            <pre>{JSON.stringify(data.config, null, 2)}</pre>
          </>
        )}
      </Section>
    </>
  );
}
