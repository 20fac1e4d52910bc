import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayError } from '@app/core';
import { type ResolvedTarget, RouterService } from '@app/providers';
import { hasNativeResponses, type JsonObject, readResponseRequest, requestParams, ResponseHistory, type ResponseRequestFields, ResponseStore, TranslatedRunner } from '@app/responses';
import type { Exchange } from '../http/exchange';
import { readJsonBody } from '../http/json-body';
import { clientInputItems, historyForNative } from './native-history';
import { NativeResponder } from './native-responder';
import { TranslatedResponder } from './translated-responder';

/** Serves POST /v1/responses: routes the request, then forwards it natively or translates it. */
@Injectable()
export class ResponsesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly router: RouterService,
    private readonly runner: TranslatedRunner,
    private readonly store: ResponseStore,
    private readonly history: ResponseHistory,
    private readonly translated: TranslatedResponder,
    private readonly native: NativeResponder,
  ) {}

  async create(exchange: Exchange): Promise<void> {
    const body = await readJsonBody(exchange.request, this.config);
    const fields = readResponseRequest(body);
    exchange.stream = fields.stream;
    const target = this.router.resolve(fields.model);
    exchange.provider = target.provider.name;
    exchange.model = target.model;
    try {
      if (hasNativeResponses(target.provider.config)) return await this.createNative(exchange, body, fields, target);
      if (fields.background && fields.stream) {
        throw GatewayError.invalidRequest("'stream' cannot be combined with 'background' for this provider; poll the response instead.", 'stream', 'unsupported_value');
      }
      const prepared = await this.runner.prepare({ body, fields, target, keyId: exchange.caller.keyId, status: fields.background ? 'queued' : 'in_progress' });
      if (fields.background) return await this.translated.background(exchange, prepared);
      if (fields.stream) return await this.translated.stream(exchange, prepared);
      return await this.translated.json(exchange, prepared);
    } catch (error) {
      exchange.upstreamStatus ??= 'error';
      throw error;
    }
  }

  private async createNative(exchange: Exchange, body: JsonObject, fields: ResponseRequestFields, target: ResolvedTarget): Promise<void> {
    const forwarded: JsonObject = { ...body, model: target.model };
    const history = await this.nativeHistory(fields, target);
    if (history) {
      forwarded.input = [...historyForNative(history), ...clientInputItems(body.input)];
      delete forwarded.previous_response_id;
      delete forwarded.conversation;
    }
    await this.native.forward(exchange, { provider: target.provider, model: target.model, body: forwarded, fields, params: requestParams(body), keyId: exchange.caller.keyId });
  }

  /**
   * Prior items to send along, or undefined when the upstream resolves the chain itself: a
   * previous response served natively by this same provider (or unknown to the gateway, e.g.
   * stored only upstream) is left to the provider; anything else is rebuilt from the store.
   */
  private async nativeHistory(fields: ResponseRequestFields, target: ResolvedTarget): Promise<JsonObject[] | undefined> {
    if (fields.conversationId) return (await this.history.prior(fields)).items;
    if (!fields.previousResponseId) return undefined;
    const previous = await this.store.find(fields.previousResponseId);
    if (!previous || (previous.native && previous.provider === target.provider.name)) return undefined;
    return this.store.chainItems(previous);
  }
}
