/** The admin API client: every call carries the operator's key, kept in sessionStorage only. */
const KEY_STORAGE = 'switchyard.adminKey';

export const session = {
  key: (): string | null => sessionStorage.getItem(KEY_STORAGE),
  save: (key: string): void => sessionStorage.setItem(KEY_STORAGE, key),
  clear: (): void => sessionStorage.removeItem(KEY_STORAGE),
};

/** An answer of the API that was not 2xx, with the message of its OpenAI-style error envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: { message?: string } };
    if (body.error?.message) return new ApiError(response.status, `${response.status}: ${body.error.message}`);
  } catch {
    // not JSON: show the text as it came
  }
  return new ApiError(response.status, `${response.status}: ${text.slice(0, 300) || response.statusText}`);
}

function headers(key: string | null, json: boolean): Record<string, string> {
  const result: Record<string, string> = {};
  if (key) result.authorization = `Bearer ${key}`;
  if (json) result['content-type'] = 'application/json';
  return result;
}

/** Calls the admin API; throws ApiError on a non-2xx answer. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; key?: string } = {}): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers: headers(init.key ?? session.key(), init.body !== undefined),
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as T;
}

/**
 * Reads the /admin/live server-sent events with fetch, because EventSource cannot send the
 * Authorization header. Calls onOpen once the stream is attached (events from then on arrive),
 * then onEvent with each `data` JSON until the signal aborts.
 */
export async function readEvents(path: string, onEvent: (data: unknown) => void, signal: AbortSignal, onOpen?: () => void): Promise<void> {
  const response = await fetch(path, { headers: { ...headers(session.key(), false), accept: 'text/event-stream' }, signal });
  if (!response.ok || !response.body) throw await errorOf(response);
  onOpen?.();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      if (data) onEvent(JSON.parse(data));
    }
  }
}
