import type { ProviderConfig, UpstreamConfig } from '@app/config';
import { GatewayError } from '@app/core';
import type { ChatCompletionCall, ChatCompletionResult, JsonResult, ProviderAdapter, RawUpstreamRequest, UpstreamCallContext, UpstreamModel } from '../provider-adapter';
import { prepareRequest } from '../request-body';
import { discardBody, UpstreamHttp, type UpstreamHeaders, type UpstreamHttpResponse } from '../upstream-http';
import { UpstreamFailure } from '../../resilience/upstream-failure';
import { anthropicStatusFailure } from './anthropic-errors';
import { toAnthropicRequest } from './anthropic-request';
import { toChatCompletion } from './anthropic-response';
import { anthropicChunks } from './anthropic-sse';
import type { AnthropicMessage } from './anthropic-types';

/** The API version whose request and event shapes this adapter implements. */
export const ANTHROPIC_VERSION = '2023-06-01';

/** Pages of `GET /v1/models` read at most; a guard against a listing that never says it is done. */
const MAX_MODEL_PAGES = 20;

/**
 * Adapter for Anthropic's Messages API: translates canonical chat completions to `/v1/messages`
 * and the answers (JSON or event stream) back, lists models, and forwards native requests with
 * `x-api-key`. The base URL may be given with or without its `/v1`.
 */
export class AnthropicAdapter implements ProviderAdapter {
  private readonly http: UpstreamHttp;

  constructor(
    readonly provider: ProviderConfig,
    private readonly upstreamConfig: UpstreamConfig,
  ) {
    this.http = new UpstreamHttp(provider.name, provider.baseUrl.replace(/\/v1$/, ''), upstreamConfig);
  }

  async chatCompletion(call: ChatCompletionCall, context: UpstreamCallContext): Promise<ChatCompletionResult> {
    const plan = prepareRequest(call.body, () => {
      const translated = toAnthropicRequest(call.body, { defaultMaxTokens: this.upstreamConfig.defaultMaxTokens });
      return { text: JSON.stringify(translated.body), jsonToolName: translated.jsonToolName };
    });
    const response = await this.http.send('POST', '/v1/messages', this.headers(context, call.stream), plan.text, context.signal);
    await this.throwUnlessOk(response);
    if (!call.stream) {
      const message = this.parseJson(await this.http.readBody(response)) as AnthropicMessage;
      const completion = toChatCompletion(message, plan.jsonToolName);
      return { kind: 'json', status: 200, body: Buffer.from(JSON.stringify(completion)), usage: completion.usage };
    }
    if (!String(response.headers['content-type'] ?? '').includes('text/event-stream')) {
      discardBody(response.body);
      throw new UpstreamFailure('protocol', this.provider.name, `Upstream provider '${this.provider.name}' did not answer with an event stream.`);
    }
    return { kind: 'stream', status: 200, events: anthropicChunks(this.http, this.provider.name, response, plan.jsonToolName) };
  }

  embeddings(): Promise<JsonResult> {
    return Promise.reject(
      GatewayError.invalidRequest(
        `Provider '${this.provider.name}' (Anthropic) does not offer embeddings; route this model to a provider that does.`,
        'model',
        'embeddings_not_supported',
      ),
    );
  }

  /** Reads every page of `GET /v1/models` (`has_more` / `last_id` → `after_id`). */
  async listModels(context: UpstreamCallContext): Promise<UpstreamModel[]> {
    const models: UpstreamModel[] = [];
    let afterId: string | undefined;
    for (let page = 0; page < MAX_MODEL_PAGES; page++) {
      const query = afterId === undefined ? '?limit=1000' : `?limit=1000&after_id=${encodeURIComponent(afterId)}`;
      const response = await this.http.send('GET', `/v1/models${query}`, this.headers(context, false), undefined, context.signal);
      await this.throwUnlessOk(response);
      const listing = this.parseJson(await this.http.readBody(response)) as { data?: Array<Record<string, unknown>>; has_more?: unknown; last_id?: unknown };
      for (const model of listing.data ?? []) {
        if (typeof model.id !== 'string') continue;
        const created = typeof model.created_at === 'string' ? Date.parse(model.created_at) : NaN;
        models.push({ id: model.id, created: Number.isNaN(created) ? undefined : Math.floor(created / 1000), ownedBy: 'anthropic' });
      }
      if (listing.has_more !== true || typeof listing.last_id !== 'string') break;
      afterId = listing.last_id;
    }
    return models;
  }

  /**
   * Native requests with Anthropic's credentials. Paths are taken relative to `<root>/v1` (e.g.
   * `/messages`), and a path that already starts with `/v1/` is used as it is. The client's own
   * `anthropic-version` and `anthropic-beta` headers are kept; a missing version gets ours.
   */
  forward(request: RawUpstreamRequest, context: UpstreamCallContext): Promise<UpstreamHttpResponse> {
    const headers: UpstreamHeaders = { ...request.headers, 'x-request-id': context.requestId };
    if (this.provider.apiKey) headers['x-api-key'] = this.provider.apiKey;
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'anthropic-version')) headers['anthropic-version'] = ANTHROPIC_VERSION;
    const path = request.path === '/v1' || request.path.startsWith('/v1/') || request.path.startsWith('/v1?') ? request.path : `/v1${request.path}`;
    return this.http.send(request.method, path, headers, request.body, context.signal);
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async throwUnlessOk(response: UpstreamHttpResponse): Promise<void> {
    if (response.status >= 200 && response.status < 300) return;
    throw anthropicStatusFailure(this.provider.name, response.status, response.headers, await this.http.readErrorBody(response));
  }

  private parseJson(body: Buffer): unknown {
    try {
      return JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw new UpstreamFailure('protocol', this.provider.name, `Upstream provider '${this.provider.name}' sent a body that is not JSON.`, { cause: error });
    }
  }

  private headers(context: UpstreamCallContext, stream: boolean): UpstreamHeaders {
    const headers: UpstreamHeaders = {
      'content-type': 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
      'anthropic-version': ANTHROPIC_VERSION,
      'x-request-id': context.requestId,
    };
    if (this.provider.apiKey) headers['x-api-key'] = this.provider.apiKey;
    return headers;
  }
}
