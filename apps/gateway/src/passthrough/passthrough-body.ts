import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import { readBodyBytes } from '../pipeline/body-reader';

/** JSON bodies up to this size are read whole, so their `model` can be metered and they can be retried. */
export const MAX_PEEKED_JSON_BYTES = 1024 * 1024;

/** The request body as it goes upstream. */
export interface OutgoingBody {
  readonly body?: Buffer | Readable;
  /** True when the whole body is known before sending (none, or read whole): it can be sent again. */
  readonly replayable: boolean;
  /** The JSON body's `model`, when it names one. */
  readonly model?: string;
}

/**
 * Decides how the client's body travels. Small declared-length JSON bodies are read whole (they
 * are where a `model` lives); everything else is streamed to undici as it arrives, never buffered.
 */
export async function outgoingBody(request: IncomingMessage): Promise<OutgoingBody> {
  const declared = request.headers['content-length'];
  const chunked = request.headers['transfer-encoding'] !== undefined;
  if (!chunked && (declared === undefined || declared === '0')) return { replayable: true };
  const length = Number(declared);
  if (!chunked && isJson(request.headers['content-type']) && length <= MAX_PEEKED_JSON_BYTES) {
    const body = await readBodyBytes(request, MAX_PEEKED_JSON_BYTES);
    return { body, replayable: true, model: modelOf(body) };
  }
  return { body: streamed(request), replayable: false };
}

/**
 * A PassThrough stands between the client's request and undici, so that whatever undici does to
 * a body it gives up on (it destroys it) never reaches the client's socket, which must stay
 * usable for the error answer. A client that aborts its upload errors the upstream body.
 */
function streamed(request: IncomingMessage): Readable {
  const body = new PassThrough();
  request.pipe(body);
  request.once('close', () => {
    if (!request.complete) body.destroy(new Error('the client aborted its upload'));
  });
  // When the upstream call fails mid-upload, the rest of the upload is drained so the client,
  // still sending, can read the error answer instead of stalling on a full socket.
  body.once('close', () => {
    if (!request.complete) request.resume();
  });
  return body;
}

function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';', 1)[0].trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

function modelOf(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { model?: unknown };
    return typeof parsed?.model === 'string' && parsed.model ? parsed.model : undefined;
  } catch {
    // Opaque bodies need not be valid JSON; the provider will say so itself.
    return undefined;
  }
}
