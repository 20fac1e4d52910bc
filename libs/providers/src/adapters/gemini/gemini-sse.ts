import { SseParser } from '@app/core';
import type { UpstreamHttp, UpstreamHttpResponse } from '../upstream-http';
import { UpstreamFailure } from '../../resilience/upstream-failure';
import { geminiStreamErrorFailure, readError } from './gemini-errors';
import { GeminiStreamTranslator } from './gemini-stream-translator';
import type { GeminiGenerateContentResponse } from './gemini-types';

/**
 * Reads a Gemini `streamGenerateContent?alt=sse` body and yields canonical chunk payloads. Gemini
 * ends its stream without a sentinel, so completeness is judged by content: the last event must
 * carry a finishReason (or a prompt block), with or without a blank line after it (a cut-off last
 * event fails to parse). A stream that breaks, carries an error event, holds something that is
 * not JSON, or ends early throws UpstreamFailure.
 */
export async function* geminiChatChunks(http: UpstreamHttp, provider: string, response: UpstreamHttpResponse, model: string): AsyncGenerator<string> {
  const parser = new SseParser();
  const translator = new GeminiStreamTranslator(model);
  try {
    for await (const chunk of response.body) {
      for (const event of parser.push(chunk as Buffer)) for (const translated of translator.translate(parseEvent(provider, event.data))) yield translated;
    }
  } catch (error) {
    throw http.transportFailure(error);
  }
  // Gemini has no sentinel and its last event may come without a blank line: it is judged by content.
  for (const event of parser.end()) for (const translated of translator.translate(parseEvent(provider, event.data))) yield translated;
  if (!translator.complete) {
    throw new UpstreamFailure('protocol', provider, `Upstream provider '${provider}' ended the stream before it was complete.`);
  }
  for (const translated of translator.finish()) yield translated;
}

function parseEvent(provider: string, data: string): GeminiGenerateContentResponse {
  let event: unknown;
  try {
    event = JSON.parse(data);
  } catch {
    throw new UpstreamFailure('protocol', provider, `Upstream provider '${provider}' sent a malformed stream event.`);
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new UpstreamFailure('protocol', provider, `Upstream provider '${provider}' sent a malformed stream event.`);
  }
  if ('error' in event) throw geminiStreamErrorFailure(provider, readError(event));
  return event;
}
