import { GatewayError } from '@app/core';

/** A file's content went past the size limit it was stored under; nothing of it is kept. */
export class FileTooLargeError extends GatewayError {
  constructor(readonly maxBytes: number) {
    super('payload_too_large', `File exceeds the maximum size of ${maxBytes} bytes.`, { param: 'file', code: 'file_too_large' });
    this.name = 'FileTooLargeError';
  }
}
