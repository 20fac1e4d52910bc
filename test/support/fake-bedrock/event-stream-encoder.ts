import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

const text = (value: string) => ({ type: 'string' as const, value });

/** One ConverseStream event frame, headers as Bedrock sends them (`:event-type`, `:content-type`, `:message-type`). */
export function eventFrame(eventType: string, payload: object): Uint8Array {
  return codec.encode({
    headers: { ':event-type': text(eventType), ':content-type': text('application/json'), ':message-type': text('event') },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** A modelled exception frame (`:message-type: exception`, `:exception-type: throttlingException` …). */
export function exceptionFrame(exceptionType: string, message: string): Uint8Array {
  return codec.encode({
    headers: { ':exception-type': text(exceptionType), ':content-type': text('application/json'), ':message-type': text('exception') },
    body: fromUtf8(JSON.stringify({ message })),
  });
}
