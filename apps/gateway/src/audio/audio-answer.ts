import { performance } from 'node:perf_hooks';
import { GatewayError, toOpenAIError, type TokenUsage } from '@app/core';
import { type PrimedUpstreamResponse, primedChunks } from '@app/providers';
import type { Exchange } from '../pipeline/exchange';
import type { StreamResult } from '../pipeline/route-result';
import { AudioEventObserver } from './audio-event-observer';
import { audioUsage } from './audio-usage';

/** True when the upstream answered with an event stream (`stream_format: "sse"`, `stream: true`). */
export function isEventStream(headers: PrimedUpstreamResponse['headers']): boolean {
  return String(headers['content-type'] ?? '').includes('text/event-stream');
}

/**
 * A primed audio answer as the responder writes it, chunk by chunk as it arrives (the responder
 * waits for the client to drain before pulling the next chunk, so a slow client holds the
 * upstream). Binary audio keeps the upstream's Content-Type (or the one its format implies) and a
 * failure mid-stream cuts the connection, so a truncated file never looks complete; an event
 * stream is observed for its done event, whose usage is metered, and ends with an error event
 * when the upstream breaks off or ends without one.
 */
export function audioStreamResult(
  exchange: Exchange,
  primed: PrimedUpstreamResponse,
  contentType: string,
  onUsage: (done: Record<string, unknown> | undefined) => TokenUsage | undefined,
): StreamResult {
  exchange.upstreamStatus = primed.status;
  exchange.stream = true;
  if (!isEventStream(primed.headers)) {
    return { kind: 'stream', status: primed.status, headers: audioHeaders(primed, contentType), chunks: relayBytes(exchange, primed, onUsage), onError: () => undefined };
  }
  return { kind: 'sse', status: primed.status, chunks: relayEvents(exchange, primed, onUsage), onError: errorEvent };
}

/** The audio's type, and its length when the upstream announced one (a cut-off relay is then visibly short). */
function audioHeaders(primed: PrimedUpstreamResponse, contentType: string): Record<string, string> {
  const length = primed.headers['content-length'];
  const encoded = primed.headers['content-encoding'] !== undefined;
  return typeof length === 'string' && /^\d+$/.test(length) && !encoded ? { 'content-type': contentType, 'content-length': length } : { 'content-type': contentType };
}

async function* relayBytes(exchange: Exchange, primed: PrimedUpstreamResponse, onUsage: (done: undefined) => TokenUsage | undefined): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of primedChunks(primed)) {
      exchange.firstTokenAt ??= performance.now();
      yield chunk;
    }
  } finally {
    exchange.upstreamEndedAt = performance.now();
  }
  exchange.usage = onUsage(undefined);
}

async function* relayEvents(
  exchange: Exchange,
  primed: PrimedUpstreamResponse,
  onUsage: (done: Record<string, unknown> | undefined) => TokenUsage | undefined,
): AsyncGenerator<Buffer | string> {
  const observer = new AudioEventObserver();
  try {
    for await (const chunk of primedChunks(primed)) {
      exchange.firstTokenAt ??= performance.now();
      observer.push(chunk);
      yield chunk;
    }
  } finally {
    exchange.upstreamEndedAt = performance.now();
  }
  // Real servers may end without the last blank line: the client's parser needs it to see the event.
  if (observer.unterminated) yield '\n\n';
  const done = observer.finish();
  exchange.usage = onUsage(done);
  if (!observer.ended)
    throw new GatewayError('upstream_error', `Upstream provider '${exchange.provider}' closed the stream before it was complete.`, { code: 'upstream_stream_error' });
}

/** What the openai SDKs raise as an APIError mid-stream. */
function errorEvent(error: unknown): string {
  const { body } = toOpenAIError(error);
  return `event: error\ndata: ${JSON.stringify(body)}\n\n`;
}

/** The usage of a done event's payload (undefined when there is none). */
export function doneEventUsage(done: Record<string, unknown> | undefined, direction: 'transcription' | 'speech'): TokenUsage | undefined {
  return done ? audioUsage(done, direction) : undefined;
}
