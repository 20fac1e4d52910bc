import { Injectable } from '@nestjs/common';
import { generateId, type TokenUsage } from '@app/core';
import { ChatCompletionClient, FailoverRunner, type PrimedChatStream, type ResolvedTarget, RouterService, type UpstreamCallContext } from '@app/providers';
import { outcomeFromCompletion } from '../translate/chat-to-response';
import { toChatBody } from '../translate/request-to-chat';
import { responseShell, settleResponse } from '../translate/response-object';
import type { ResponseRequestFields } from '../translate/response-request';
import type { JsonObject, ResponseStatus } from '../translate/response-types';
import { type PreparedResponse, requestParams } from './prepared-response';
import { ResponseHistory } from './response-history';

export interface PrepareOptions {
  readonly body: JsonObject;
  readonly fields: ResponseRequestFields;
  readonly target: ResolvedTarget;
  readonly keyId: string | null;
  readonly userPath: string | null;
  readonly id?: string;
  readonly createdAt?: number;
  readonly status?: ResponseStatus;
}

export interface JsonRun {
  readonly response: JsonObject;
  readonly usage?: TokenUsage;
  readonly status: number;
}

/**
 * Runs responses for providers without a Responses API: the request and its prior turns become a
 * chat completion, sent through the provider's adapter with the usual retries and breaker (and,
 * for a whole plan, failover). The `…Once` methods are single attempts for a FailoverRunner.
 */
@Injectable()
export class TranslatedRunner {
  constructor(
    readonly router: RouterService,
    readonly failover: FailoverRunner,
    private readonly chat: ChatCompletionClient,
    private readonly history: ResponseHistory,
  ) {}

  /** Resolves prior turns and builds the chat body and response shell (400s surface here). */
  async prepare(options: PrepareOptions): Promise<PreparedResponse> {
    const { body, fields, target } = options;
    const prior = await this.history.prior(fields);
    const [history, input] = await Promise.all([this.history.resolveReferences(prior.items, 'previous_response_id'), this.history.resolveReferences(fields.input, 'input')]);
    const chatBody = toChatBody(body, input, history, target.model, fields.stream);
    const id = options.id ?? generateId('resp_');
    const createdAt = options.createdAt ?? Math.floor(Date.now() / 1000);
    const params = requestParams(body);
    const shell = responseShell({ id, model: fields.model, createdAt, conversationId: fields.conversationId }, params, options.status ?? 'in_progress');
    return { id, createdAt, fields, params, target, chatBody, shell, keyId: options.keyId, userPath: options.userPath };
  }

  /** The prepared response sent to another target of its plan: same history and shell, that target's model. */
  withTarget(prepared: PreparedResponse, target: ResolvedTarget): PreparedResponse {
    if (target === prepared.target) return prepared;
    return { ...prepared, target, chatBody: { ...prepared.chatBody, model: target.model } };
  }

  /** One non-streaming attempt on the prepared target; resolves with the settled response object. */
  async runJsonOnce(prepared: PreparedResponse, context: UpstreamCallContext): Promise<JsonRun> {
    const { status, completion } = await this.chat.completeParsedOnce(prepared.target.provider, prepared.chatBody, context);
    const outcome = outcomeFromCompletion(completion, prepared.id);
    return { response: settleResponse(prepared.shell, outcome), usage: outcome.usage, status };
  }

  /** One attempt to open the chat stream; resolves once its first chunk arrived. */
  openStreamOnce(prepared: PreparedResponse, context: UpstreamCallContext): Promise<PrimedChatStream> {
    return this.chat.openStreamOnce(prepared.target.provider, prepared.chatBody, context);
  }
}
