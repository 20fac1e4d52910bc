import { Injectable } from '@nestjs/common';
import { GatewayError, toAnthropicError, toOpenAIError, usageFromOpenAI, type TokenUsage } from '@app/core';
import { isNativeTarget, MessagesJsonRunner, requireMessagesFields, withUpstreamStatus } from '@app/messages';
import { ChatCompletionClient, FailoverRunner, type ResolvedTarget, RouterService, type UpstreamCallContext, UpstreamFailure } from '@app/providers';
import { readResponseRequest, TranslatedRunner } from '@app/responses';
import type { BatchEndpoint } from '../batch-limits';
import type { ItemRun } from './item-outcome';

/** Tries of an item that gets no HTTP answer (connection failures, timeouts) before it fails for good. */
export const MAX_TRANSIENT_ATTEMPTS = 5;
const BASE_RETRY_MS = 1_000;
const MAX_RETRY_MS = 60_000;

interface Served {
  readonly status: number;
  readonly body: unknown;
  readonly usage?: TokenUsage;
}

/**
 * Runs one batch item through the normal provider path: its model's route plan with failover, each
 * target through the provider's retries and circuit breaker, translated to the provider's dialect
 * like a foreground request. Classifies what happened for the emulated run: answered (any status),
 * retry later (rate limits and failures without an answer), or failed for good.
 */
@Injectable()
export class BatchItemExecutor {
  constructor(
    private readonly router: RouterService,
    private readonly failover: FailoverRunner,
    private readonly chat: ChatCompletionClient,
    private readonly responses: TranslatedRunner,
    private readonly messages: MessagesJsonRunner,
  ) {}

  async run(endpoint: BatchEndpoint, body: Record<string, unknown>, attempts: number, context: UpstreamCallContext): Promise<ItemRun> {
    let served: ResolvedTarget | undefined;
    try {
      // Checked before any target, as the foreground route does: the same 400 whichever provider serves.
      if (endpoint === '/v1/messages') requireMessagesFields(body);
      const plan = this.router.plan(String(body.model));
      const { value, target } = await this.failover.run(
        plan,
        context,
        (target) => this.attempt(endpoint, body, target, context),
        (target) => (served = target),
      );
      return { kind: 'answered', statusCode: value.status, body: value.body, usage: value.usage, provider: target.provider.name, model: target.model };
    } catch (error) {
      return classify(error, attempts, served, endpoint);
    }
  }

  private async attempt(endpoint: BatchEndpoint, body: Record<string, unknown>, target: ResolvedTarget, context: UpstreamCallContext): Promise<Served> {
    const upstreamBody = { ...body, model: target.model };
    switch (endpoint) {
      case '/v1/chat/completions': {
        const { status, completion } = await this.chat.completeParsedOnce(target.provider, { ...upstreamBody, stream: false }, context);
        return { status, body: completion, usage: usageFromOpenAI(completion.usage) };
      }
      case '/v1/embeddings': {
        const result = await target.provider.adapter.embeddings({ body: upstreamBody }, context);
        return { status: result.status, body: JSON.parse(result.body.toString('utf8')) as unknown, usage: usageFromOpenAI(result.usage) };
      }
      case '/v1/responses': {
        const fields = readResponseRequest({ ...body, stream: false });
        const prepared = await this.responses.prepare({ body: { ...body, stream: false }, fields, target, keyId: null, userPath: null });
        const run = await this.responses.runJsonOnce(prepared, context);
        return { status: run.status, body: run.response, usage: run.usage };
      }
      case '/v1/messages': {
        const run = await this.messages.runOnce(target, body, context);
        return { status: run.status, body: run.message, usage: run.usage };
      }
    }
  }
}

/**
 * Rate limits and answer-less failures are retried (rate limits until the completion window ends);
 * any other error is the item's answer, in the envelope of the line's dialect (a `/v1/messages`
 * line hears Anthropic's, with an Anthropic upstream's own server status as the foreground route keeps it).
 */
function classify(error: unknown, attempts: number, served: ResolvedTarget | undefined, endpoint: BatchEndpoint): ItemRun {
  const backoff = Math.min(BASE_RETRY_MS * 2 ** attempts, MAX_RETRY_MS);
  if (error instanceof UpstreamFailure || error instanceof GatewayError) {
    const upstream = error instanceof UpstreamFailure ? error : undefined;
    if (error.kind === 'rate_limited' || upstream?.upstreamStatus === 429) {
      return { kind: 'retry', delayMs: Math.max(upstream?.retryAfterMs ?? 0, backoff), rateLimited: true, code: 'rate_limit_exceeded', message: error.message };
    }
    const answerless = upstream !== undefined && upstream.reason !== 'status';
    if (answerless || error.code === 'provider_unavailable') {
      const code = upstream?.reason ?? 'provider_unavailable';
      if (attempts + 1 >= MAX_TRANSIENT_ATTEMPTS) return { kind: 'failed', code, message: error.message };
      return { kind: 'retry', delayMs: backoff, rateLimited: false, code, message: error.message };
    }
  }
  const { status, body } = endpoint === '/v1/messages' ? toAnthropicError(served && isNativeTarget(served) ? withUpstreamStatus(error) : error) : toOpenAIError(error);
  return { kind: 'answered', statusCode: status, body, provider: served?.provider.name ?? null, model: served?.model ?? null };
}
