import { Injectable } from '@nestjs/common';
import type { JsonResult, UpstreamCallContext } from './adapters/provider-adapter';
import type { ProviderInstance } from './provider-instance';
import { UpstreamExecutor } from './resilience/upstream-executor';
import { UpstreamFailure } from './resilience/upstream-failure';

/** A non-streaming completion read into an object, for routes that translate it further. */
export interface ParsedCompletion {
  readonly status: number;
  readonly completion: Record<string, unknown>;
}

/** A canonical chat stream whose first event has arrived: retries are over, the client can be answered. */
export interface PrimedChatStream {
  readonly status: number;
  readonly first: string;
  readonly rest: AsyncIterator<string>;
}

/**
 * Stops reading a primed stream that the caller gives up on (the client left, or relaying an event
 * failed): the upstream body is released at once instead of lingering until its idle timeout.
 */
export function releaseChatStream(rest: AsyncIterator<string>): void {
  void rest.return?.()?.catch(() => undefined);
}

/**
 * Canonical chat completions through a provider's adapter. Every route that speaks chat to a
 * provider (chat completions, translated Messages and Responses) calls through here: the plain
 * methods with the retries and circuit breaker of the UpstreamExecutor, the `…Once` methods as the
 * single attempt a FailoverRunner runs through the executor itself, target after target.
 */
@Injectable()
export class ChatCompletionClient {
  constructor(private readonly executor: UpstreamExecutor) {}

  /** A non-streaming completion; resolves with the canonical `chat.completion` bytes. */
  complete(provider: ProviderInstance, body: Record<string, unknown>, context: UpstreamCallContext): Promise<JsonResult> {
    return this.executor.execute(provider, context.signal, () => this.completeOnce(provider, body, context));
  }

  async completeOnce(provider: ProviderInstance, body: Record<string, unknown>, context: UpstreamCallContext): Promise<JsonResult> {
    const result = await provider.adapter.chatCompletion({ body, stream: false }, context);
    if (result.kind !== 'json') throw new Error('adapter answered a non-streaming call with a stream');
    return result;
  }

  /**
   * A non-streaming completion parsed into an object. The parse happens inside the attempt: an
   * answer that is not a JSON object is the upstream's failure (502), not the gateway's (500).
   */
  completeParsed(provider: ProviderInstance, body: Record<string, unknown>, context: UpstreamCallContext): Promise<ParsedCompletion> {
    return this.executor.execute(provider, context.signal, () => this.completeParsedOnce(provider, body, context));
  }

  async completeParsedOnce(provider: ProviderInstance, body: Record<string, unknown>, context: UpstreamCallContext): Promise<ParsedCompletion> {
    const result = await this.completeOnce(provider, body, context);
    return { status: result.status, completion: parseCompletion(provider.name, result.body) };
  }

  /**
   * Opens a stream and resolves once its first event arrived. The first event is awaited inside the
   * retried attempt: until it exists nothing has reached the client, so a stream that fails before
   * it is retried (or failed over) like any other failure.
   */
  openStream(provider: ProviderInstance, body: Record<string, unknown>, context: UpstreamCallContext): Promise<PrimedChatStream> {
    return this.executor.execute(provider, context.signal, () => this.openStreamOnce(provider, body, context));
  }

  async openStreamOnce(provider: ProviderInstance, body: Record<string, unknown>, context: UpstreamCallContext): Promise<PrimedChatStream> {
    const result = await provider.adapter.chatCompletion({ body, stream: true }, context);
    if (result.kind !== 'stream') throw new Error('adapter answered a streaming call with JSON');
    const rest = result.events[Symbol.asyncIterator]();
    const first = await rest.next();
    if (first.done) throw new Error('upstream stream ended without any event');
    return { status: result.status, first: first.value, rest };
  }
}

function parseCompletion(provider: string, body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new UpstreamFailure('protocol', provider, `Upstream provider '${provider}' answered with a body that is not JSON.`, { cause: error });
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  throw new UpstreamFailure('protocol', provider, `Upstream provider '${provider}' answered with JSON that is not a chat completion.`);
}
