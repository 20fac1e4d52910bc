import type { Message } from '@smithy/eventstream-codec';
import { awsEventStreamCodec, awsUtf8 } from './aws-sdk-parts';

/** Prelude (total length, headers length, prelude CRC) plus the trailing message CRC. */
const MIN_FRAME_BYTES = 16;
/** Bedrock frames are small; anything near this is a corrupt length, not a real frame. */
const MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** A frame that cannot be decoded: bad length, bad CRC, bad headers. */
export class EventStreamFrameError extends Error {}

/**
 * Splits an `application/vnd.amazon.eventstream` body into frames as bytes arrive and decodes each
 * one (CRCs checked) with @smithy/eventstream-codec. Only the bytes of the frame in progress are
 * held, never the stream.
 */
export class EventStreamFrames {
  private readonly codec = new (awsEventStreamCodec().EventStreamCodec)(awsUtf8().toUtf8, awsUtf8().fromUtf8);
  private pending: Buffer = Buffer.alloc(0);

  /** Returns the frames completed by this chunk; throws on a corrupt frame. */
  push(chunk: Uint8Array): Message[] {
    this.pending = this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
    const messages: Message[] = [];
    while (this.pending.length >= 4) {
      const length = this.pending.readUInt32BE(0);
      if (length < MIN_FRAME_BYTES || length > MAX_FRAME_BYTES) throw new EventStreamFrameError(`invalid event-stream frame length ${length}`);
      if (this.pending.length < length) break;
      messages.push(this.decode(this.pending.subarray(0, length)));
      this.pending = this.pending.subarray(length);
    }
    return messages;
  }

  private decode(frame: Buffer): Message {
    try {
      return this.codec.decode(frame);
    } catch (error) {
      throw new EventStreamFrameError(`corrupt event-stream frame: ${(error as Error).message}`);
    }
  }

  /** True when the bytes of an incomplete frame are held (the stream was cut). */
  get hasPartialFrame(): boolean {
    return this.pending.length > 0;
  }
}

/** The string value of a frame header such as `:event-type`, if present. */
export function headerString(message: Message, name: string): string | undefined {
  const header = message.headers[name];
  return header && header.type === 'string' ? header.value : undefined;
}
