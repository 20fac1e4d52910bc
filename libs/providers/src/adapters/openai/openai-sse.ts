import { SseParser } from '@app/core';
import type { UpstreamHttp, UpstreamHttpResponse } from '../upstream-http';
import { UpstreamFailure } from '../../resilience/upstream-failure';
import { parseOpenAIError } from './openai-errors';

/**
 * Yields the data of each event of an OpenAI-style SSE body, up to `[DONE]`. The payloads are not
 * parsed (the hot path only inspects the ones it needs); a cheap shape check catches garbage.
 * A stream that ends without `[DONE]`, breaks, or carries an error event throws UpstreamFailure.
 */
export async function* openAIEventData(http: UpstreamHttp, provider: string, response: UpstreamHttpResponse): AsyncGenerator<string> {
  const parser = new SseParser();
  let done = false;
  try {
    for await (const chunk of response.body) {
      // After [DONE] keep reading to the end so the keep-alive connection goes back to the pool.
      if (done) continue;
      for (const event of parser.push(chunk as Buffer)) {
        if (event.data === '[DONE]') {
          done = true;
          break;
        }
        yield checkedEvent(provider, event.event, event.data);
      }
    }
  } catch (error) {
    throw http.transportFailure(error);
  }
  if (!done) {
    throw new UpstreamFailure('protocol', provider, `Upstream provider '${provider}' ended the stream before it was complete.`);
  }
}

function checkedEvent(provider: string, eventName: string | undefined, data: string): string {
  const looksLikeObject = data.charCodeAt(0) === 123 && data.charCodeAt(data.length - 1) === 125; // { … }
  if (!looksLikeObject) {
    throw new UpstreamFailure('protocol', provider, `Upstream provider '${provider}' sent a malformed stream event.`);
  }
  if (eventName === 'error' || data.startsWith('{"error"')) {
    const parsed = parseOpenAIError(data);
    throw new UpstreamFailure('status', provider, parsed.message ?? `Upstream provider '${provider}' reported an error mid-stream.`, {
      status: 502,
      code: parsed.code,
    });
  }
  return data;
}
