import type { Message } from '@smithy/eventstream-codec';
import type { UpstreamHttp, UpstreamHttpResponse } from '../upstream-http';
import { UpstreamFailure } from '../../resilience/upstream-failure';
import { awsUtf8 } from './aws-sdk-parts';
import { bedrockStreamException } from './bedrock-errors';
import { ConverseStreamError, ConverseStreamTranslator } from './converse-stream-translator';
import { EventStreamFrameError, EventStreamFrames, headerString } from './event-stream-frames';

/**
 * Yields canonical chunk payloads from a ConverseStream body, frame by frame as bytes arrive.
 * Exception frames, corrupt frames, and a stream cut before messageStop throw UpstreamFailure.
 */
export async function* converseStreamEvents(http: UpstreamHttp, provider: string, response: UpstreamHttpResponse, model: string): AsyncGenerator<string> {
  const frames = new EventStreamFrames();
  const translator = new ConverseStreamTranslator(model);
  try {
    for await (const chunk of response.body) {
      for (const message of frames.push(chunk as Buffer)) for (const translated of translate(translator, provider, message)) yield translated;
    }
    if (frames.hasPartialFrame) throw new ConverseStreamError('stream ended inside a frame');
    for (const translated of translator.finish()) yield translated;
  } catch (error) {
    if (error instanceof UpstreamFailure) throw error;
    if (error instanceof ConverseStreamError || error instanceof SyntaxError || error instanceof EventStreamFrameError) {
      throw new UpstreamFailure('protocol', provider, `Upstream provider '${provider}' sent a broken or incomplete event stream.`, { cause: error });
    }
    throw http.transportFailure(error);
  }
}

function translate(translator: ConverseStreamTranslator, provider: string, message: Message): string[] {
  const messageType = headerString(message, ':message-type');
  const payload = awsUtf8().toUtf8(message.body);
  if (messageType === 'exception') throw bedrockStreamException(provider, headerString(message, ':exception-type') ?? '', payload);
  if (messageType === 'error') {
    const code = headerString(message, ':error-code') ?? '';
    throw bedrockStreamException(provider, code, JSON.stringify({ message: headerString(message, ':error-message') ?? code }));
  }
  const eventType = headerString(message, ':event-type');
  if (messageType !== 'event' || !eventType) return [];
  return translator.handle(eventType, JSON.parse(payload) as Record<string, any>);
}
