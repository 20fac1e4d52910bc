import { useState } from 'preact/hooks';
import { buildQuery, formatDuration, formatTime } from '../format';
import { liveEmptyText, useLive } from '../live';
import type { AuditEntry, AuditSummary, AuditThread, ListOf } from '../types';
import { ErrorBox, Section, Table, useApi } from '../ui';

const FILTERS = ['model', 'provider', 'key_id', 'user_path', 'status', 'request_id'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

function Drawer({ id, onClose }: { id: string; onClose: () => void }) {
  const entry = useApi<AuditEntry>(`/admin/audit/${encodeURIComponent(id)}`);
  const thread = useApi<AuditThread>(`/admin/audit/${encodeURIComponent(id)}/thread`);
  return (
    <aside class="drawer" aria-label="Audit entry">
      <button type="button" class="close" onClick={onClose}>
        Close
      </button>
      <Section title="Request" loaded={entry}>
        {(data) => (
          <>
            <p>
              {data.method} {data.path} → <strong>{data.status}</strong> {data.error_message ?? ''}
            </p>
            <p>
              {data.provider ?? '—'} / {data.model ?? '—'} · attempts {data.attempts.join(' → ') || '—'} · {formatDuration(data.latency_ms)}
            </p>
            <h3>Headers (credentials removed)</h3>
            <pre>{JSON.stringify(data.request_headers ?? {}, null, 2)}</pre>
            <h3>Request body</h3>
            <pre>{data.request_body ?? 'Not captured (enable AUDIT_BODIES to keep bodies).'}</pre>
            <h3>Response body{data.body_truncated ? ' (truncated)' : ''}</h3>
            <pre>{data.response_body ?? 'Not captured.'}</pre>
          </>
        )}
      </Section>
      <Section title="Thread" loaded={thread}>
        {(data) => (
          <Table
            rows={data.entries}
            empty="Not part of a Responses chain or conversation."
            columns={[
              { label: 'Time', cell: (row) => formatTime(row.created_at) },
              { label: 'Path', cell: (row) => row.path },
              { label: 'Status', cell: (row) => row.status },
            ]}
          />
        )}
      </Section>
    </aside>
  );
}

function LiveTail() {
  const live = useLive(50);
  const { events, error } = live;
  return (
    <section class="card" aria-label="Live tail">
      <h2>Live tail</h2>
      <ErrorBox error={error} />
      <Table
        rows={events}
        empty={liveEmptyText(live)}
        columns={[
          { label: 'Time', cell: (row) => formatTime(row.time) },
          { label: 'Request', cell: (row) => `${row.method} ${row.path}` },
          { label: 'Status', cell: (row) => row.status },
          { label: 'Model', cell: (row) => row.model ?? '—' },
          { label: 'Key', cell: (row) => row.key_name ?? row.key_id ?? '—' },
          { label: 'Latency', cell: (row) => formatDuration(row.latency_ms), numeric: true },
        ]}
      />
    </section>
  );
}

export function Audit() {
  const [filters, setFilters] = useState<Filters>({ model: '', provider: '', key_id: '', user_path: '', status: '', request_id: '' });
  const [applied, setApplied] = useState<Filters>(filters);
  const [cursor, setCursor] = useState<string>();
  const [open, setOpen] = useState<string>();
  const log = useApi<ListOf<AuditSummary>>(`/admin/audit/log${buildQuery({ ...applied, cursor, limit: 50 })}`);
  const submit = (event: Event) => {
    event.preventDefault();
    setCursor(undefined);
    setApplied(filters);
  };
  return (
    <>
      <h1>Audit log</h1>
      <form class="card filters" onSubmit={submit} aria-label="Filters">
        {FILTERS.map((name) => (
          <label>
            {name.replace('_', ' ')} <input name={name} value={filters[name]} onInput={(event) => setFilters({ ...filters, [name]: (event.target as HTMLInputElement).value })} />
          </label>
        ))}
        <button type="submit">Filter</button>
        <button type="button" onClick={log.reload}>
          Refresh
        </button>
      </form>
      <Section title="Requests" loaded={log}>
        {(data) => (
          <>
            <Table
              rows={data.data}
              empty="No requests recorded for these filters. Requests through the gateway appear here as they finish."
              onRow={(row) => setOpen(row.id)}
              columns={[
                { label: 'Time', cell: (row) => formatTime(row.created_at) },
                { label: 'Request', cell: (row) => `${row.method} ${row.path}` },
                { label: 'Status', cell: (row) => row.status },
                { label: 'Model', cell: (row) => row.model ?? '—' },
                { label: 'Key', cell: (row) => row.key_name ?? row.key_id ?? '—' },
                { label: 'Latency', cell: (row) => formatDuration(row.latency_ms), numeric: true },
              ]}
            />
            {data.has_more && data.next_cursor && (
              <button type="button" onClick={() => setCursor(data.next_cursor ?? undefined)}>
                Older
              </button>
            )}
          </>
        )}
      </Section>
      <LiveTail />
      {open && <Drawer id={open} onClose={() => setOpen(undefined)} />}
    </>
  );
}
