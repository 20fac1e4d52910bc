import { SseParser, type SseEvent } from '@app/core';
import type { UpstreamHttp, UpstreamHttpResponse } from '../upstream-http';
import { UpstreamFailure } from '../../resilience/upstream-failure';
import { parseOpenAIError } from './openai-errors';

/**
 * A choice that finished: `"finish_reason": "stop"`, not `null` nor the `""` some servers send
 * mid-stream. A quote inside content is escaped, so text cannot fake it.
 */
const FINISHED_CHOICE = /"finish_reason"\s*:\s*"[^"]/;

interface StreamState {
  /** `[DONE]` arrived. */
  done: boolean;
  /** A chunk carried a non-null finish_reason: the answer is over even if `[DONE]` never comes. */
  finished: boolean;
}

/**
 * Yields the data of each event of an OpenAI-style SSE body, up to `[DONE]`. The payloads are not
 * parsed (the hot path only inspects the ones it needs); a cheap shape check catches garbage.
 * Many compatible servers end without `[DONE]`, or without a blank line after the last event: a
 * stream that ends cleanly after a finish_reason is complete. One that ends before any
 * finish_reason, breaks, or carries an error event throws UpstreamFailure.
 */
export async function* openAIEventData(http: UpstreamHttp, provider: string, response: UpstreamHttpResponse): AsyncGenerator<string> {
  const parser = new SseParser();
  const state: StreamState = { done: false, finished: false };
  try {
    for await (const chunk of response.body) {
      // After [DONE] keep reading to the end so the keep-alive connection goes back to the pool.
      if (state.done) continue;
      for (const data of eventData(provider, parser.push(chunk as Buffer), state)) yield data;
    }
  } catch (error) {
    throw http.transportFailure(error);
  }
  if (!state.done) for (const data of eventData(provider, parser.end(), state)) yield data;
  if (!state.done && !state.finished) {
    throw new UpstreamFailure('protocol', provider, `Upstream provider '${provider}' ended the stream before it was complete.`);
  }
}

function* eventData(provider: string, events: SseEvent[], state: StreamState): Generator<string> {
  for (const event of events) {
    if (event.data === '[DONE]') {
      state.done = true;
      return;
    }
    const data = checkedEvent(provider, event.event, event.data);
    if (!state.finished && FINISHED_CHOICE.test(data)) state.finished = true;
    yield data;
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
