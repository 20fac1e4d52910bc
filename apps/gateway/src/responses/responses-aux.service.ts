import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { estimateConversationTokens, GatewayError, requireWellFormedId, usageFromOpenAI } from '@app/core';
import { type RoutePlan, RouterService } from '@app/providers';
import { hasNativeResponses, type JsonObject, normalizeInput, ResponseHistory, toChatBody } from '@app/responses';
import { ModelAccess } from '../governance/model-access';
import { type NativeAnswer, NativeForwarder, responsesRequest } from '../native/native-forwarder';
import { unreadableAnswer } from '../native/native-upstream';
import type { Exchange } from '../pipeline/exchange';
import { type Execution, jsonResult, type RouteOutcome, type RouteResult } from '../pipeline/route-result';

/**
 * POST /v1/responses/input_tokens and /v1/responses/compact. Native providers answer both
 * themselves. Elsewhere input tokens are a local ESTIMATE (exact BPE for OpenAI model families,
 * cl100k for others; see libs/core token-estimate) and compaction is refused with a 501.
 */
@Injectable()
export class ResponsesAuxService {
  constructor(
    private readonly router: RouterService,
    private readonly history: ResponseHistory,
    private readonly forwarder: NativeForwarder,
    private readonly access: ModelAccess,
  ) {}

  inputTokens(exchange: Exchange): RouteOutcome {
    const { body, plan, target } = this.route(exchange);
    if (hasNativeResponses(target.provider.config)) return this.forward(exchange, plan, '/input_tokens');
    return { kind: 'admitted', plan, run: () => this.estimate(body, target.model) };
  }

  /** The local estimate of a Responses request's input tokens. */
  private async estimate(body: JsonObject, model: string): Promise<RouteResult> {
    const input = normalizeInput(body.input);
    const prior = await this.history.prior(historyIds(body));
    const { conversation: _c, previous_response_id: _p, ...rest } = body;
    const chat = toChatBody(rest, input, prior.items, model, false);
    const messages = chat.messages as JsonObject[];
    const texts = messages.map((message) => (typeof message.content === 'string' ? message.content : JSON.stringify(message.content ?? message.tool_calls ?? '')));
    if (chat.tools) texts.push(JSON.stringify(chat.tools));
    if (chat.response_format) texts.push(JSON.stringify(chat.response_format));
    return jsonResult(200, { object: 'response.input_tokens', input_tokens: await estimateConversationTokens(texts, messages.length, model) });
  }

  compact(exchange: Exchange): RouteOutcome {
    const { plan, target } = this.route(exchange);
    if (hasNativeResponses(target.provider.config)) return this.forward(exchange, plan, '/compact');
    // The 501 below runs no admission: the key's model access is checked here, so a key learns no
    // more about a model it may not use than it would from a served route.
    this.access.assertPlan(exchange.caller, plan);
    throw new GatewayError(
      'not_implemented',
      `Compaction is served only by providers with a native Responses API; '${target.provider.name}' has none. Start a new response with a summary of the conversation instead.`,
      {
        code: 'compaction_not_supported',
        param: 'model',
      },
    );
  }

  private route(exchange: Exchange) {
    const body = exchange.body;
    if (typeof body.model !== 'string' || body.model === '') throw GatewayError.invalidRequest("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
    historyIds(body);
    // Counting and compaction need no failover: the plan's first target (an alias's weighted pick) answers.
    const plan = this.router.plan(body.model);
    const target = plan.targets[0];
    exchange.provider = target.provider.name;
    exchange.model = target.model;
    return { body, plan: { ...plan, targets: [target] }, target };
  }

  /** Forwards the body (model rewritten) to the target's native Responses API and answers with its JSON. */
  private forward(exchange: Exchange, plan: RoutePlan, subpath: string): Execution<NativeAnswer> {
    return {
      kind: 'execute',
      plan,
      attempt: (target, context) =>
        this.forwarder.jsonOnce(target.provider, responsesRequest(target.provider, 'POST', subpath, { ...exchange.body, model: target.model }), context, 'openai'),
      respond: (answer, target) => {
        exchange.upstreamEndedAt = performance.now();
        exchange.upstreamStatus = answer.status;
        if (!answer.json) throw unreadableAnswer(target.provider);
        exchange.usage = usageFromOpenAI(answer.json.usage);
        return jsonResult(answer.status, answer.text);
      },
    };
  }
}

/**
 * `previous_response_id` and `conversation` (an id or `{id}`), checked as POST /v1/responses checks
 * them, before anything is looked up or forwarded: a bad id is a 400 naming it, on every provider.
 */
function historyIds(body: JsonObject): { previousResponseId?: string; conversationId?: string } {
  const previous = body.previous_response_id ?? undefined;
  const conversation = body.conversation ?? undefined;
  const conversationValue = typeof conversation === 'object' && !Array.isArray(conversation) ? (conversation as JsonObject).id : conversation;
  return {
    previousResponseId: previous === undefined ? undefined : requireWellFormedId(previous, 'previous_response_id'),
    conversationId: conversationValue === undefined ? undefined : requireWellFormedId(conversationValue, 'conversation', 'conv_'),
  };
}
