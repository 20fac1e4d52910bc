import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { type ProviderInstance, type RawUpstreamRequest, type UpstreamCallContext, UpstreamExecutor, UpstreamFailure } from '@app/providers';

/** An upstream answer as the relay consumes it. */
export interface PassthroughAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Readable;
}

/** Statuses worth another attempt (as for the inference routes). */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
/** A retryable answer's body is held while deciding; error bodies are small, anything larger is not held. */
const MAX_HELD_BODY_BYTES = 1024 * 1024;

/**
 * Sends a passthrough request upstream. Retryable requests go through the UpstreamExecutor
 * (breaker, retries with backoff); when the retries run out, the provider's own last answer is
 * relayed as it was, not replaced by a gateway error. Other requests get a single attempt.
 */
@Injectable()
export class PassthroughForwarder {
  constructor(private readonly executor: UpstreamExecutor) {}

  async send(instance: ProviderInstance, request: RawUpstreamRequest, context: UpstreamCallContext, retryable: boolean): Promise<PassthroughAnswer> {
    if (!retryable) return instance.adapter.forward(request, context);
    let held: PassthroughAnswer | undefined;
    try {
      return await this.executor.execute(instance, context.signal, async () => {
        held = undefined;
        const answer = await instance.adapter.forward(request, context);
        if (!RETRYABLE_STATUSES.has(answer.status)) return answer;
        held = await hold(answer);
        throw new UpstreamFailure('status', instance.name, `Upstream provider '${instance.name}' answered with HTTP ${answer.status}.`, {
          status: answer.status >= 500 ? 502 : answer.status,
          upstreamStatus: answer.status,
          retryAfterMs: retryAfterMs(answer.headers),
        });
      });
    } catch (error) {
      if (held && error instanceof UpstreamFailure && error.reason === 'status') return held;
      throw error;
    }
  }
}

/** Reads a retryable answer's body so that it can still be relayed if no retry follows. */
async function hold(answer: PassthroughAnswer): Promise<PassthroughAnswer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of answer.body) {
      size += (chunk as Buffer).length;
      if (size > MAX_HELD_BODY_BYTES) return undefined;
      chunks.push(chunk as Buffer);
    }
  } catch {
    return undefined;
  }
  return { status: answer.status, headers: answer.headers, body: Readable.from(chunks.length ? [Buffer.concat(chunks)] : []) };
}

/** `retry-after-ms` (OpenAI) or a delta-seconds `Retry-After`; dates fall back to the backoff. */
function retryAfterMs(headers: PassthroughAnswer['headers']): number | undefined {
  const ms = first(headers['retry-after-ms']);
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const seconds = first(headers['retry-after']);
  return seconds !== undefined && /^\d+(\.\d+)?$/.test(seconds) ? Math.ceil(Number(seconds) * 1000) : undefined;
}

function first(value: string | string[] | undefined): string | undefined {
  return (Array.isArray(value) ? value[0] : value)?.trim();
}
