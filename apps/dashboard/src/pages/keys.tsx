import { useState } from 'preact/hooks';
import { api } from '../api';
import { formatTime } from '../format';
import type { AuthKey, CreatedKey, ListOf } from '../types';
import { ErrorBox, Section, Table, useApi } from '../ui';

const list = (value: string): string[] | null => {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length ? items : null;
};
const count = (value: string): number | null => (value.trim() === '' ? null : Number(value));

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
      <label>
        Models (comma-separated, empty = all) <input name="models" value={form.models} onInput={field('models')} />
      </label>
      <label>
        Requests per minute <input name="rpm" type="number" min="1" value={form.rpm} onInput={field('rpm')} />
      </label>
      <label>
        Tokens per minute <input name="tpm" type="number" min="1" value={form.tpm} onInput={field('tpm')} />
      </label>
      <label class="check">
        <input type="checkbox" checked={form.admin} onChange={(event) => setForm({ ...form, admin: (event.target as HTMLInputElement).checked })} /> Admin scope
      </label>
      <ErrorBox error={error} />
      <button type="submit">Create key</button>
    </form>
  );
}

function KeyActions({ keyRow, onChanged }: { keyRow: AuthKey; onChanged: () => void }) {
  const [error, setError] = useState<string>();
  const run = (path: string, body?: unknown) => () =>
    api(path, { method: body === undefined ? 'POST' : 'PATCH', body }).then(onChanged, (failure: unknown) =>
      setError(failure instanceof Error ? failure.message : String(failure)),
    );
  const editModels = () => {
    const value = prompt(`Models for ${keyRow.name} (comma-separated, empty = all)`, keyRow.models?.join(', ') ?? '');
    if (value !== null) void run(`/admin/auth-keys/${keyRow.id}`, { models: list(value) })();
  };
  if (!keyRow.active) return <span class="muted">inactive</span>;
  return (
    <>
      <button type="button" onClick={editModels}>
        Edit models
      </button>{' '}
      <button type="button" class="danger" onClick={() => void run(`/admin/auth-keys/${keyRow.id}/deactivate`)()} aria-label={`Deactivate ${keyRow.name}`}>
        Deactivate
      </button>
      <ErrorBox error={error} />
    </>
  );
}

export function Keys() {
  const keys = useApi<ListOf<AuthKey>>('/admin/auth-keys?limit=100');
  const [created, setCreated] = useState<CreatedKey>();
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
              { label: 'Last used', cell: (row) => formatTime(row.last_used_at) },
              { label: 'Status', cell: (row) => <KeyActions keyRow={row} onChanged={keys.reload} /> },
            ]}
          />
        )}
      </Section>
    </>
  );
}
