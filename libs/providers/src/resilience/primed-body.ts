import { discardBody, type UpstreamHttpResponse } from '../adapters/upstream-http';
import { UpstreamFailure } from './upstream-failure';

/** A successful native answer whose first body chunk is in hand (`first` undefined: empty body). */
export interface PrimedUpstreamResponse extends UpstreamHttpResponse {
  readonly first?: Buffer;
  readonly rest: AsyncIterator<Buffer>;
}

/**
 * Waits for the first body chunk of a native answer inside the attempt, as ChatCompletionClient
 * waits for a stream's first event: a provider that sends its headers and then breaks off has
 * still sent nothing the client saw, so the failure can be retried or failed over.
 */
export async function primeBody(provider: string, answer: UpstreamHttpResponse): Promise<PrimedUpstreamResponse> {
  const rest = answer.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let first: IteratorResult<Buffer>;
  try {
    first = await rest.next();
  } catch (error) {
    discardBody(answer.body);
    if (error instanceof UpstreamFailure) throw error;
    throw new UpstreamFailure('reset', provider, `Upstream provider '${provider}' closed the connection before the answer began.`, { status: 502, cause: error });
  }
  return { ...answer, first: first.done ? undefined : first.value, rest };
}

/** The chunks of a primed answer, the first included. Leaving early lets the upstream body go. */
export async function* primedChunks(answer: PrimedUpstreamResponse): AsyncGenerator<Buffer> {
  let ended = false;
  try {
    if (answer.first !== undefined) yield answer.first;
    for (;;) {
      const next = await answer.rest.next();
      if (next.done) break;
      yield next.value;
    }
    ended = true;
  } finally {
    if (!ended) discardBody(answer.body);
  }
}
