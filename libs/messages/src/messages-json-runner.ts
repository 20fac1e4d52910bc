import { Injectable } from '@nestjs/common';
import { generateId, type TokenUsage, usageFromAnthropic, usageFromOpenAI } from '@app/core';
import { anthropicStatusFailure, ChatCompletionClient, readBoundedBody, readErrorText, type ResolvedTarget, type UpstreamCallContext, UpstreamFailure } from '@app/providers';
import { isNativeTarget } from './native-target';
import { toChatRequest } from './translate/chat-request';
import { toAnthropicMessage } from './translate/message-response';

/** A message is far below this; a larger body is not a message. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** A non-streaming Messages call's answer: Anthropic's `message` object and the usage it reports. */
export interface MessagesJsonRun {
  readonly status: number;
  readonly message: Record<string, unknown>;
  readonly usage?: TokenUsage;
}

/**
 * One non-streaming Messages call on one target, answered as an Anthropic `message` whatever the
 * target speaks — the choice the foreground route makes per target (MessagesService): natively
 * (the body as it is but for `model`) on an Anthropic provider, translated through the canonical
 * chat form otherwise. A single attempt for a FailoverRunner: a non-2xx answer is thrown as the
 * adapter's UpstreamFailure, so it is retried, failed over and counted by the breaker. Batch items
 * run here; the foreground route keeps its own relay (it streams bytes, this reads them whole).
 */
@Injectable()
export class MessagesJsonRunner {
  constructor(private readonly chat: ChatCompletionClient) {}

  async runOnce(target: ResolvedTarget, body: Record<string, unknown>, context: UpstreamCallContext): Promise<MessagesJsonRun> {
    if (isNativeTarget(target)) return this.native(target, body, context);
    const request = toChatRequest({ ...body, stream: false }, target.model);
    const { status, completion } = await this.chat.completeParsedOnce(target.provider, request.body, context);
    // The model the request named, as Anthropic echoes it and as the foreground route answers.
    const message = toAnthropicMessage(completion, generateId('msg_', 12), String(body.model), request.stopSequences);
    return { status, message, usage: usageFromOpenAI(completion.usage) };
  }

  private async native(target: ResolvedTarget, body: Record<string, unknown>, context: UpstreamCallContext): Promise<MessagesJsonRun> {
    const { provider } = target;
    const headers = { 'content-type': 'application/json', accept: 'application/json' };
    const answer = await provider.adapter.forward({ method: 'POST', path: '/messages', headers, body: JSON.stringify({ ...body, model: target.model, stream: false }) }, context);
    if (answer.status < 200 || answer.status >= 300) throw anthropicStatusFailure(provider.name, answer.status, answer.headers, await readErrorText(answer));
    const raw = await readBoundedBody(answer, MAX_MESSAGE_BYTES);
    const message = raw ? parseObject(raw.toString('utf8')) : undefined;
    if (!message) throw new UpstreamFailure('protocol', provider.name, `Upstream provider '${provider.name}' did not answer with a message object.`);
    const usage = message.usage && typeof message.usage === 'object' ? usageFromAnthropic(message.usage as Record<string, unknown>) : undefined;
    return { status: answer.status, message, usage };
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
