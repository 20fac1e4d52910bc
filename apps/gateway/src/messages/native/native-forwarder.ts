import type { IncomingHttpHeaders } from 'node:http';
import { Injectable } from '@nestjs/common';
import { anthropicStatusFailure, type PrimedUpstreamResponse, primeBody, readErrorText, type ResolvedTarget, type UpstreamCallContext, UpstreamExecutor } from '@app/providers';

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
 * Sends a Messages body natively to an Anthropic provider. `send` goes through the UpstreamExecutor,
 * so 429, 5xx, 529 and transport failures are retried (and counted by the breaker) before anything
 * has reached the client; `sendOnce` is that single attempt, for a FailoverRunner to run. A non-2xx
 * answer is thrown as the adapter's UpstreamFailure: parsed, with Anthropic's status and type, never
 * the raw body. A 2xx answer resolves once its first body chunk is in hand (see primeBody).
 */
@Injectable()
export class NativeForwarder {
  constructor(private readonly executor: UpstreamExecutor) {}

  send(target: ResolvedTarget, path: string, headers: Record<string, string>, body: string, requestId: string, signal: AbortSignal): Promise<PrimedUpstreamResponse> {
    return this.executor.execute(target.provider, signal, () => this.sendOnce(target, path, headers, body, { requestId, signal }));
  }

  async sendOnce(target: ResolvedTarget, path: string, headers: Record<string, string>, body: string, context: UpstreamCallContext): Promise<PrimedUpstreamResponse> {
    const provider = target.provider;
    const answer = await provider.adapter.forward({ method: 'POST', path, headers, body }, context);
    if (answer.status < 200 || answer.status >= 300) throw anthropicStatusFailure(provider.name, answer.status, answer.headers, await readErrorText(answer));
    return primeBody(provider.name, answer);
  }
}
