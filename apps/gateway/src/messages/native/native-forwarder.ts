import type { IncomingHttpHeaders } from 'node:http';
import { Injectable } from '@nestjs/common';
import { anthropicStatusFailure, readErrorText, type ResolvedTarget, UpstreamExecutor, type UpstreamHttpResponse } from '@app/providers';

/**
 * The client headers an Anthropic upstream gets: the API version and beta flags the client asked
 * for (so beta features keep working), and the body's type. Credentials are the adapter's own.
 */
const FORWARDED_HEADERS = ['anthropic-version', 'anthropic-beta', 'content-type', 'accept'] as const;

export function nativeRequestHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = headers[name];
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(',') : value;
  }
  out['content-type'] ??= 'application/json';
  return out;
}

/**
 * Sends a Messages body natively to an Anthropic provider through the UpstreamExecutor, so 429,
 * 5xx, 529 and transport failures are retried (and counted by the breaker) before anything has
 * reached the client. A non-2xx answer is thrown as the adapter's UpstreamFailure: parsed, with
 * Anthropic's status and type, never the raw body.
 */
@Injectable()
export class NativeForwarder {
  constructor(private readonly executor: UpstreamExecutor) {}

  send(target: ResolvedTarget, path: string, headers: Record<string, string>, body: string, requestId: string, signal: AbortSignal): Promise<UpstreamHttpResponse> {
    const provider = target.provider;
    return this.executor.execute(provider, signal, async () => {
      const answer = await provider.adapter.forward({ method: 'POST', path, headers, body }, { requestId, signal });
      if (answer.status >= 200 && answer.status < 300) return answer;
      throw anthropicStatusFailure(provider.name, answer.status, answer.headers, await readErrorText(answer));
    });
  }
}
