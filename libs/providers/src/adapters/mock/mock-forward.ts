import { Readable } from 'node:stream';
import { GatewayError, toOpenAIError } from '@app/core';
import type { ChatCompletionResult, ProviderAdapter, RawUpstreamRequest, UpstreamCallContext } from '../provider-adapter';
import type { UpstreamHttpResponse } from '../upstream-http';
import { UpstreamFailure } from '../../resilience/upstream-failure';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Answers a native (`/p/mock/…`) request as an OpenAI-compatible server would: `GET /models`,
 * `POST /chat/completions` (JSON or SSE) and `POST /embeddings`, anything else 404. Status failures
 * become HTTP answers (with `retry-after`); resets and timeouts stay thrown, or break the SSE body,
 * as they would on a real connection.
 */
export async function mockForward(adapter: ProviderAdapter, request: RawUpstreamRequest, context: UpstreamCallContext): Promise<UpstreamHttpResponse> {
  const path = request.path.split('?')[0].replace(/\/+$/, '');
  try {
    if (request.method === 'GET' && path === '/models') {
      const models = await adapter.listModels(context);
      return json(200, { object: 'list', data: models.map((model) => ({ id: model.id, object: 'model', created: model.created ?? 0, owned_by: 'mock' })) });
    }
    if (request.method === 'POST' && path === '/chat/completions') {
      const body = await readJson(request.body);
      const result = await adapter.chatCompletion({ body, stream: body.stream === true }, context);
      return chatAnswer(result, (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true);
    }
    if (request.method === 'POST' && path === '/embeddings') {
      const result = await adapter.embeddings({ body: await readJson(request.body) }, context);
      return json(200, result.body);
    }
    throw new GatewayError('not_found', `The mock provider has no ${request.method} ${path || '/'} (it serves GET /models, POST /chat/completions, POST /embeddings).`);
  } catch (error) {
    if (error instanceof UpstreamFailure && error.reason !== 'status') throw error;
    if (!(error instanceof GatewayError)) throw error;
    const status = (error as UpstreamFailure).upstreamStatus ?? error.status;
    const retryAfterMs = (error as UpstreamFailure).retryAfterMs;
    return json(status, toOpenAIError(error).body, retryAfterMs === undefined ? {} : { 'retry-after': String(Math.ceil(retryAfterMs / 1000)) });
  }
}

function chatAnswer(result: ChatCompletionResult, includeUsage: boolean): UpstreamHttpResponse {
  if (result.kind === 'json') return json(200, result.body);
  async function* frames(events: AsyncIterable<string>): AsyncGenerator<Buffer> {
    for await (const data of events) {
      // The gateway's own calls always get the usage chunk; a native client gets it when it asked.
      if (!includeUsage && data.includes('"choices":[]')) continue;
      yield Buffer.from(`data: ${data}\n\n`);
    }
    yield Buffer.from('data: [DONE]\n\n');
  }
  return answer(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' }, Readable.from(frames(result.events)));
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): UpstreamHttpResponse {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  return answer(status, { 'content-type': 'application/json', 'content-length': String(bytes.length), ...headers }, Readable.from([bytes]));
}

/**
 * The relays read an answer's body only through the Readable API (pipe, events, async iteration,
 * destroy), which a plain Readable has; undici's extra body helpers are used inside adapters only.
 */
function answer(status: number, headers: Record<string, string>, body: Readable): UpstreamHttpResponse {
  return { status, headers, body: body as unknown as UpstreamHttpResponse['body'] };
}

async function readJson(body: RawUpstreamRequest['body']): Promise<Record<string, unknown>> {
  let text: string;
  if (body === undefined || body === null) text = '';
  else if (typeof body === 'string') text = body;
  else if (Buffer.isBuffer(body)) text = body.toString('utf8');
  else text = await readStream(body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw GatewayError.invalidRequest('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw GatewayError.invalidRequest('The request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

async function readStream(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new GatewayError('payload_too_large', 'The request body is too large for the mock provider.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
