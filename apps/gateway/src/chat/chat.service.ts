import { performance } from 'node:perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { usageFromOpenAI } from '@app/core';
import { ChatCompletionClient, type JsonResult as UpstreamJson, type PrimedChatStream, type RoutePlan, RouterService } from '@app/providers';
import { FileInliner } from '../files/file-inliner';
import type { Exchange } from '../pipeline/exchange';
import { type Execution, jsonResult } from '../pipeline/route-result';
import { type ChatRoutingFields, readChatRoutingFields } from './chat-request';
import { chatStreamResult } from './chat-stream-relay';

/** Serves POST /v1/chat/completions: the plan for the model, one attempt per target, the answer (JSON or relayed SSE). */
@Injectable()
export class ChatService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly router: RouterService,
    private readonly chat: ChatCompletionClient,
    private readonly files: FileInliner,
  ) {}

  /** Synchronous unless the body may reference uploaded files, which are inlined first. */
  complete(exchange: Exchange): Execution | Promise<Execution> {
    const body = exchange.body;
    const fields = readChatRoutingFields(body);
    exchange.stream = fields.stream;
    const plan = this.router.plan(fields.model);
    if (this.files.mayReferenceFiles(exchange.bodyText)) return this.files.inline(exchange.caller, body, plan).then(() => this.execution(exchange, fields, plan));
    return this.execution(exchange, fields, plan);
  }

  private execution(exchange: Exchange, fields: ChatRoutingFields, plan: RoutePlan): Execution {
    const body = exchange.body;
    if (fields.stream) {
      // The attempt resolves with the stream's first event: failover is over before the client sees a byte.
      return {
        kind: 'execute',
        plan,
        attempt: (target, context) => this.chat.openStreamOnce(target.provider, { ...body, model: target.model }, context),
        respond: (primed: PrimedChatStream) => {
          exchange.upstreamStatus = primed.status;
          exchange.firstTokenAt = performance.now();
          return chatStreamResult(exchange, primed, fields.clientWantsUsage);
        },
      } satisfies Execution<PrimedChatStream>;
    }
    return {
      kind: 'execute',
      plan,
      deadlineMs: this.config.upstream.totalTimeoutMs,
      attempt: (target, context) => this.chat.completeOnce(target.provider, { ...body, model: target.model }, context),
      respond: (result: UpstreamJson) => {
        exchange.upstreamEndedAt = performance.now();
        exchange.upstreamStatus = result.status;
        exchange.usage = usageFromOpenAI(result.usage);
        return jsonResult(200, result.body);
      },
    } satisfies Execution<UpstreamJson>;
  }
}
