import { useEffect, useState } from 'preact/hooks';
import { readEvents } from './api';
import type { LiveEvent } from './types';

/** The newest `max` events of /admin/live while mounted, newest first, and the stream's error. */
export function useLive(max: number): { events: LiveEvent[]; error: string | undefined } {
  const [events, setEvents] = useState<LiveEvent[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    const abort = new AbortController();
    readEvents('/admin/live', (data) => setEvents((previous) => [data as LiveEvent, ...previous].slice(0, max)), abort.signal).catch((failure: unknown) => {
      if (!abort.signal.aborted) setError(`Live stream: ${failure instanceof Error ? failure.message : String(failure)}`);
    });
    return () => abort.abort();
  }, [max]);
  return { events, error };
}
