import type { ProviderConfig, UpstreamConfig } from '@app/config';
import type {
  ChatCompletionCall,
  ChatCompletionResult,
  EmbeddingsCall,
  JsonResult,
  ProviderAdapter,
  RawUpstreamRequest,
  UpstreamCallContext,
  UpstreamModel,
} from '../provider-adapter';
import { UpstreamHttp, type UpstreamHeaders, type UpstreamHttpResponse } from '../upstream-http';
import { UpstreamFailure } from '../../resilience/upstream-failure';
import { openAIStatusFailure } from './openai-errors';
import { openAIEventData } from './openai-sse';

/**
 * Adapter for OpenAI and every server that speaks its API (Groq, xAI, DeepSeek, OpenRouter,
 * Mistral, Together, Fireworks, Ollama, vLLM …). Same dialect as the gateway's canonical form, so
 * bodies go upstream as the client sent them (model rewritten) and answers come back untouched.
 */
export class OpenAICompatibleAdapter implements ProviderAdapter {
  private readonly http: UpstreamHttp;

  constructor(
    readonly provider: ProviderConfig,
    upstreamConfig: UpstreamConfig,
  ) {
    this.http = new UpstreamHttp(provider.name, provider.baseUrl, upstreamConfig);
  }

  async chatCompletion(call: ChatCompletionCall, context: UpstreamCallContext): Promise<ChatCompletionResult> {
    const body = call.stream ? withUsageRequested(call.body) : call.body;
    const response = await this.http.send('POST', '/chat/completions', this.headers(context, call.stream), JSON.stringify(body), context.signal);
    if (response.status < 200 || response.status >= 300) {
      throw openAIStatusFailure(this.provider.name, response.status, response.headers, await this.http.readErrorBody(response));
    }
    if (!call.stream) {
      return { kind: 'json', status: response.status, body: await this.http.readBody(response) };
    }
    const contentType = String(response.headers['content-type'] ?? '');
    if (!contentType.includes('text/event-stream')) {
      response.body.destroy();
      throw new UpstreamFailure('protocol', this.provider.name, `Upstream provider '${this.provider.name}' did not answer with an event stream.`);
    }
    return { kind: 'stream', status: response.status, events: openAIEventData(this.http, this.provider.name, response) };
  }

  async embeddings(call: EmbeddingsCall, context: UpstreamCallContext): Promise<JsonResult> {
    const response = await this.http.send('POST', '/embeddings', this.headers(context, false), JSON.stringify(call.body), context.signal);
    if (response.status < 200 || response.status >= 300) {
      throw openAIStatusFailure(this.provider.name, response.status, response.headers, await this.http.readErrorBody(response));
    }
    return { kind: 'json', status: response.status, body: await this.http.readBody(response) };
  }

  forward(request: RawUpstreamRequest, context: UpstreamCallContext): Promise<UpstreamHttpResponse> {
    const headers: UpstreamHeaders = { ...request.headers, 'x-request-id': context.requestId };
    if (this.provider.apiKey) headers.authorization = `Bearer ${this.provider.apiKey}`;
    return this.http.send(request.method, request.path, headers, request.body, context.signal);
  }

  async listModels(context: UpstreamCallContext): Promise<UpstreamModel[]> {
    const response = await this.http.send('GET', '/models', this.headers(context, false), undefined, context.signal);
    if (response.status !== 200) {
      throw openAIStatusFailure(this.provider.name, response.status, response.headers, await this.http.readErrorBody(response));
    }
    const listing = JSON.parse((await this.http.readBody(response)).toString('utf8')) as { data?: Array<Record<string, unknown>> };
    return (listing.data ?? [])
      .filter((model) => typeof model.id === 'string')
      .map((model) => ({
        id: model.id as string,
        created: typeof model.created === 'number' ? model.created : undefined,
        ownedBy: typeof model.owned_by === 'string' ? model.owned_by : undefined,
      }));
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private headers(context: UpstreamCallContext, stream: boolean): UpstreamHeaders {
    const headers: UpstreamHeaders = {
      'content-type': 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
      'x-request-id': context.requestId,
    };
    if (this.provider.apiKey) headers.authorization = `Bearer ${this.provider.apiKey}`;
    return headers;
  }
}

/** Asks for the final usage chunk so every stream can be metered; the caller hides it if unasked. */
function withUsageRequested(body: Record<string, unknown>): Record<string, unknown> {
  const options = body.stream_options;
  if (options && typeof options === 'object' && (options as Record<string, unknown>).include_usage === true) return body;
  return { ...body, stream_options: { ...(options as object | undefined), include_usage: true } };
}
