import { GatewayError } from '@app/core';
import { discardBody, type ProviderInstance, readBoundedBody, readErrorText, type UpstreamCallContext, type UpstreamFailure, type UpstreamHttpResponse } from '@app/providers';

/** A Batch object or a Message Batch: far below this. */
const MAX_JSON_BYTES = 1024 * 1024;

/** Turns a provider's non-2xx answer into its dialect's UpstreamFailure (message redacted, no raw body). */
export type StatusFailure = (provider: string, status: number, headers: UpstreamHttpResponse['headers'], rawBody: string) => UpstreamFailure;

/** Sends one request with the provider's credentials (the adapter adds them) and reads a JSON answer. */
export async function callJson(
  instance: ProviderInstance,
  failure: StatusFailure,
  request: { method: 'GET' | 'POST'; path: string; body?: string | Buffer; contentType?: string },
  context: UpstreamCallContext,
): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.body !== undefined) headers['content-type'] = request.contentType ?? 'application/json';
  const response = await instance.adapter.forward({ method: request.method, path: request.path, headers, body: request.body }, context);
  if (response.status < 200 || response.status >= 300) throw failure(instance.name, response.status, response.headers, await readErrorText(response));
  const body = await readBoundedBody(response, MAX_JSON_BYTES);
  if (!body) throw new GatewayError('upstream_error', `Provider '${instance.name}' answered its batch API with a body too large to be a batch object.`);
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  throw new GatewayError('upstream_error', `Provider '${instance.name}' answered its batch API with a body that is not a JSON object.`);
}

/** Streams a provider's JSONL answer (a results or output file) as parsed objects; unparseable lines are skipped. */
export async function* jsonlObjects(instance: ProviderInstance, failure: StatusFailure, path: string, context: UpstreamCallContext): AsyncGenerator<Record<string, unknown>> {
  const response = await instance.adapter.forward({ method: 'GET', path, headers: {} }, context);
  if (response.status < 200 || response.status >= 300) throw failure(instance.name, response.status, response.headers, await readErrorText(response));
  let rest = '';
  try {
    for await (const chunk of response.body) {
      const parts = (rest + (chunk as Buffer).toString('utf8')).split('\n');
      rest = parts.pop() ?? '';
      for (const part of parts) {
        const parsed = parseObject(part);
        if (parsed) yield parsed;
      }
    }
  } finally {
    discardBody(response.body);
  }
  const last = parseObject(rest);
  if (last) yield last;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
