import { GatewayError } from '@app/core';

/** OpenAI's answer for an id that names no file the caller can see. */
export function notFound(id: string): GatewayError {
  return new GatewayError('not_found', `No such File object: ${id}`, { param: 'id' });
}
