import { discardBody, type ProviderInstance, UpstreamFailure, type UpstreamHttpResponse } from '@app/providers';

/**
 * Reads a whole JSON answer. A body that breaks off (upstream reset) is a retryable `reset`
 * failure: nothing has reached the client yet, and a truncated answer must never pass as one.
 */
export async function readWholeBody(provider: ProviderInstance, answer: UpstreamHttpResponse, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of answer.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) break;
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof UpstreamFailure) throw error;
    throw new UpstreamFailure('reset', provider.name, `Upstream provider '${provider.name}' closed the connection before the answer was complete.`, { status: 502, cause: error });
  }
  if (size > maxBytes) {
    discardBody(answer.body);
    throw new UpstreamFailure('protocol', provider.name, `Upstream provider '${provider.name}' sent an answer larger than the gateway relays (${maxBytes} bytes).`, {
      status: 502,
    });
  }
  return Buffer.concat(chunks);
}

/** A 2xx answer that is not the JSON object the Responses API promises. */
export function unreadableAnswer(provider: ProviderInstance): UpstreamFailure {
  return new UpstreamFailure('protocol', provider.name, `Upstream provider '${provider.name}' sent a response the gateway could not read.`, { status: 502 });
}
