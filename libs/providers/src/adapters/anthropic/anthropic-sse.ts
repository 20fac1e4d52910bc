import { SseParser, type SseEvent } from '@app/core';
import type { UpstreamHttp, UpstreamHttpResponse } from '../upstream-http';
import { UpstreamFailure } from '../../resilience/upstream-failure';
import { AnthropicStreamTranslator } from './anthropic-stream-translator';

/**
 * Reads an Anthropic event stream and yields canonical chunk payloads as each event arrives (a
 * last event without its blank line included). A stream that breaks, carries an `error` event or
 * malformed data, or ends before `message_stop` throws UpstreamFailure, so the client's stream
 * ends with an error rather than hanging or passing for complete.
 */
export async function* anthropicChunks(http: UpstreamHttp, provider: string, response: UpstreamHttpResponse, jsonToolName?: string): AsyncGenerator<string> {
  const parser = new SseParser();
  const translator = new AnthropicStreamTranslator(provider, jsonToolName);
  try {
    for await (const bytes of response.body) {
      // After message_stop keep reading to the end so the keep-alive connection goes back to the pool.
      if (translator.done) continue;
      for (const chunk of translated(provider, translator, parser.push(bytes as Buffer))) yield chunk;
    }
  } catch (error) {
    throw http.transportFailure(error);
  }
  // Recorded Anthropic streams end without the blank line after message_stop.
  if (!translator.done) for (const chunk of translated(provider, translator, parser.end())) yield chunk;
  if (!translator.done) {
    throw new UpstreamFailure('protocol', provider, `Upstream provider '${provider}' ended the stream before it was complete.`);
  }
}

function* translated(provider: string, translator: AnthropicStreamTranslator, events: SseEvent[]): Generator<string> {
  for (const event of events) {
    yield* translator.translate(parseEvent(provider, event));
    if (translator.done) return;
  }
}

function parseEvent(provider: string, event: SseEvent): Record<string, any> {
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch {
    data = undefined;
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new UpstreamFailure('protocol', provider, `Upstream provider '${provider}' sent a malformed stream event.`);
  }
  const record = data as Record<string, any>;
  // The SSE event name and the payload's `type` are the same by Anthropic's spec; trust either for errors.
  if (event.event === 'error' && record.type !== 'error') return { ...record, type: 'error' };
  return record;
}
