import { useState } from 'preact/hooks';
import { api } from '../api';
import { formatTime, formatUsd } from '../format';
import type { AuthKey, Budget, CreatedKey, ListOf } from '../types';
import { ErrorBox, Section, Table, useApi } from '../ui';

const list = (value: string): string[] | null => {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length ? items : null;
};
const count = (value: string): number | null => (value.trim() === '' ? null : Number(value));
const PERIODS = ['daily', 'weekly', 'monthly'] as const;
const text = (value: number | null | undefined): string => (value === null || value === undefined ? '' : String(value));

type AccessField = 'models' | 'rpm' | 'tpm';

/** The fields both key forms share: the models a key may use and its per-minute limits. */
function AccessFields({ values, field }: { values: Record<AccessField, string>; field: (name: AccessField) => (event: Event) => void }) {
  return (
    <>
      <label>
        Models (comma-separated, empty = all) <input name="models" value={values.models} onInput={field('models')} />
      </label>
      <label>
        Requests per minute <input name="rpm" type="number" min="1" value={values.rpm} onInput={field('rpm')} />
      </label>
      <label>
        Tokens per minute <input name="tpm" type="number" min="1" value={values.tpm} onInput={field('tpm')} />
      </label>
    </>
  );
}

/**
 * Edits what a key may do: its models, its limits, its expiry, and its own budget (PUT
 * /admin/budgets with its key id; an emptied amount deletes the budget). Blank fields mean "none".
 */
function EditKey({ keyRow, budget, onDone }: { keyRow: AuthKey; budget: Budget | undefined; onDone: (saved: boolean) => void }) {
  const [form, setForm] = useState({
    models: keyRow.models?.join(', ') ?? '',
    rpm: text(keyRow.limits?.requests_per_minute),
    tpm: text(keyRow.limits?.tokens_per_minute),
    parallel: text(keyRow.limits?.max_parallel),
    expires_at: keyRow.expires_at ?? '',
    budget_usd: budget ? String(budget.amount_micros / 1_000_000) : '',
    budget_period: budget?.period ?? 'monthly',
  });
  const [error, setError] = useState<string>();
  const field = (name: keyof typeof form) => (event: Event) => setForm({ ...form, [name]: (event.target as HTMLInputElement).value });
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    const limits = { requests_per_minute: count(form.rpm), tokens_per_minute: count(form.tpm), max_parallel: count(form.parallel) };
    const anyLimit = Object.values(limits).some((value) => value !== null);
    try {
      await api(`/admin/auth-keys/${keyRow.id}`, {
        method: 'PATCH',
        body: { models: list(form.models), limits: anyLimit ? limits : null, expires_at: form.expires_at.trim() || null },
      });
      if (form.budget_usd.trim() !== '') {
        await api('/admin/budgets', { method: 'PUT', body: { key_id: keyRow.id, period: form.budget_period, amount_micros: Math.round(Number(form.budget_usd) * 1_000_000) } });
      } else if (budget) {
        await api(`/admin/budgets?key_id=${encodeURIComponent(keyRow.id)}`, { method: 'DELETE' });
      }
      onDone(true);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <form class="card form" onSubmit={(event) => void submit(event)} aria-label={`Edit ${keyRow.name}`}>
      <h2>Edit {keyRow.name}</h2>
      <AccessFields values={form} field={field} />
      <label>
        Parallel requests <input name="parallel" type="number" min="1" value={form.parallel} onInput={field('parallel')} />
      </label>
      <label>
        Expires at (RFC 3339, empty = never) <input name="expires_at" placeholder="2027-01-01T00:00:00Z" value={form.expires_at} onInput={field('expires_at')} />
      </label>
      <label>
        Budget in USD (empty = none) <input name="budget_usd" type="number" min="0" step="0.01" value={form.budget_usd} onInput={field('budget_usd')} />
      </label>
      <label>
        Budget period{' '}
        <select name="budget_period" value={form.budget_period} onChange={field('budget_period')}>
          {PERIODS.map((period) => (
            <option value={period}>{period}</option>
          ))}
        </select>
      </label>
      <ErrorBox error={error} />
      <button type="submit">Save</button>{' '}
      <button type="button" onClick={() => onDone(false)}>
        Cancel
      </button>
    </form>
  );
}

/** The new key's secret, shown this once with a copy button. */
function Secret({ created }: { created: CreatedKey }) {
  const [copied, setCopied] = useState(false);
  const copy = () =>
    navigator.clipboard.writeText(created.value).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  return (
    <div class="notice" role="status">
      <p>
        Key <strong>{created.name}</strong> created. Copy its secret now: it is not shown again.
      </p>
      <code class="secret" data-testid="new-key-secret">
        {created.value}
      </code>{' '}
      <button type="button" onClick={() => void copy()}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}

function CreateKey({ onCreated }: { onCreated: (key: CreatedKey) => void }) {
  const [form, setForm] = useState({ name: '', user_path: '', models: '', rpm: '', tpm: '', admin: false });
  const [error, setError] = useState<string>();
  const field = (name: keyof typeof form) => (event: Event) => setForm({ ...form, [name]: (event.target as HTMLInputElement).value });
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    const limits = form.rpm || form.tpm ? { requests_per_minute: count(form.rpm), tokens_per_minute: count(form.tpm) } : null;
    const body = { name: form.name, user_path: form.user_path || null, models: list(form.models), limits, scopes: form.admin ? ['inference', 'admin'] : ['inference'] };
    try {
      onCreated(await api<CreatedKey>('/admin/auth-keys', { method: 'POST', body }));
      setForm({ name: '', user_path: '', models: '', rpm: '', tpm: '', admin: false });
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <form class="card form" onSubmit={(event) => void submit(event)} aria-label="Create key">
      <h2>Create a key</h2>
      <label>
        Name <input name="name" required value={form.name} onInput={field('name')} />
      </label>
      <label>
        User path <input name="user_path" placeholder="/team/app" value={form.user_path} onInput={field('user_path')} />
      </label>
      <AccessFields values={form} field={field} />
      <label class="check">
        <input type="checkbox" checked={form.admin} onChange={(event) => setForm({ ...form, admin: (event.target as HTMLInputElement).checked })} /> Admin scope
      </label>
      <ErrorBox error={error} />
      <button type="submit">Create key</button>
    </form>
  );
}

function KeyActions({ keyRow, onChanged, onEdit }: { keyRow: AuthKey; onChanged: () => void; onEdit: () => void }) {
  const [error, setError] = useState<string>();
  const deactivate = () =>
    api(`/admin/auth-keys/${keyRow.id}/deactivate`, { method: 'POST' }).then(onChanged, (failure: unknown) =>
      setError(failure instanceof Error ? failure.message : String(failure)),
    );
  if (!keyRow.active) return <span class="muted">inactive</span>;
  return (
    <>
      <button type="button" onClick={onEdit} aria-label={`Edit ${keyRow.name}`}>
        Edit
      </button>{' '}
      <button type="button" class="danger" onClick={() => void deactivate()} aria-label={`Deactivate ${keyRow.name}`}>
        Deactivate
      </button>
      <ErrorBox error={error} />
    </>
  );
}

export function Keys() {
  const keys = useApi<ListOf<AuthKey>>('/admin/auth-keys?limit=100');
  const budgets = useApi<ListOf<Budget>>('/admin/budgets?limit=100');
  const [created, setCreated] = useState<CreatedKey>();
  const [editing, setEditing] = useState<AuthKey>();
  const budgetOf = (id: string) => budgets.data?.data.find((budget) => budget.key_id === id);
  return (
    <>
      <h1>Keys</h1>
      {created && <Secret created={created} />}
      <CreateKey
        onCreated={(key) => {
          setCreated(key);
          keys.reload();
        }}
      />
      {editing && (
        <EditKey
          key={editing.id}
          keyRow={editing}
          budget={budgetOf(editing.id)}
          onDone={(saved) => {
            setEditing(undefined);
            if (saved) {
              keys.reload();
              budgets.reload();
            }
          }}
        />
      )}
      <Section title="Managed keys" loaded={keys}>
        {(data) => (
          <Table
            rows={data.data}
            empty="No managed keys yet: create one above and hand its secret to the application."
            columns={[
              { label: 'Name', cell: (row) => row.name },
              { label: 'Key', cell: (row) => <code>{row.redacted_value}</code> },
              { label: 'User path', cell: (row) => row.user_path ?? '—' },
              { label: 'Models', cell: (row) => row.models?.join(', ') ?? 'all' },
              { label: 'Limits', cell: (row) => (row.limits ? `${row.limits.requests_per_minute ?? '∞'} rpm, ${row.limits.tokens_per_minute ?? '∞'} tpm` : 'none') },
              {
                label: 'Budget',
                cell: (row) => {
                  const budget = budgetOf(row.id);
                  return budget ? `${formatUsd(budget.spent_micros)} of ${formatUsd(budget.amount_micros)} ${budget.period ?? ''}` : 'none';
                },
              },
              { label: 'Expires', cell: (row) => (row.expires_at ? formatTime(row.expires_at) : 'never') },
              { label: 'Last used', cell: (row) => formatTime(row.last_used_at) },
              { label: 'Status', cell: (row) => <KeyActions keyRow={row} onChanged={keys.reload} onEdit={() => setEditing(row)} /> },
            ]}
          />
        )}
      </Section>
    </>
  );
}
