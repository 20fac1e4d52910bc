import { useEffect, useState } from 'preact/hooks';
import { readEvents } from './api';
import type { LiveEvent } from './types';

export interface Live {
  readonly events: LiveEvent[];
  /** True once the stream is attached: every request finishing from then on is shown. */
  readonly connected: boolean;
  readonly error: string | undefined;
}

/** The newest `max` events of /admin/live while mounted, newest first, and the stream's state. */
export function useLive(max: number): Live {
  const [events, setEvents] = useState<LiveEvent[]>([]);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    const abort = new AbortController();
    readEvents(
      '/admin/live',
      (data) => setEvents((previous) => [data as LiveEvent, ...previous].slice(0, max)),
      abort.signal,
      () => setConnected(true),
    )
      .catch((failure: unknown) => {
        if (!abort.signal.aborted) setError(`Live stream: ${failure instanceof Error ? failure.message : String(failure)}`);
      })
      .finally(() => setConnected(false));
    return () => abort.abort();
  }, [max]);
  return { events, connected, error };
}

/** What an empty live view says: whether it is listening yet. */
export function liveEmptyText(live: Live): string {
  return live.connected ? 'Waiting for requests…' : 'Connecting to the live stream…';
}
