import type { ProviderConfig, UpstreamConfig } from '@app/config';
import { OpenAIAudioEndpoints } from '../audio/openai-audio-endpoints';
import type {
  AudioEndpoints,
  ChatCompletionCall,
  ChatCompletionResult,
  EmbeddingsCall,
  JsonResult,
  ProviderAdapter,
  RawUpstreamRequest,
  UpstreamCallContext,
  UpstreamModel,
} from '../provider-adapter';
import { prepareRequest, serializeRequestBody } from '../request-body';
import { UpstreamHttp, type UpstreamHeaders, type UpstreamHttpResponse } from '../upstream-http';
import { ollamaEmbedRequest, ollamaEmbedResult } from './ollama-embeddings';
import { openAIChatResult, openAIJsonResult, throwOnFailure, withUsageRequested } from './openai-result';
import { type OpenAIUpstreamProfile, openAIUpstreamProfile } from './openai-upstream-profile';
import { adaptReasoningBody } from './reasoning-models';

/**
 * Adapter for OpenAI and every server that speaks its API (Groq, xAI, DeepSeek, OpenRouter,
 * Mistral, Together, Fireworks, Ollama, vLLM …). Same dialect as the gateway's canonical form, so
 * bodies go upstream as the client sent them (model rewritten) and answers come back untouched.
 * The exceptions are OpenAI's reasoning models (`max_tokens` and sampling parameters adapted, see
 * reasoning-models.ts) and Ollama's embeddings (its native `/api/embed`, see the upstream profile).
 */
export class OpenAICompatibleAdapter implements ProviderAdapter {
  private readonly http: UpstreamHttp;
  private readonly profile: OpenAIUpstreamProfile;
  readonly audio?: AudioEndpoints;

  constructor(
    readonly provider: ProviderConfig,
    upstreamConfig: UpstreamConfig,
  ) {
    this.profile = openAIUpstreamProfile(provider);
    this.http = new UpstreamHttp(provider.name, this.profile.rootUrl, upstreamConfig);
    if (provider.audio) {
      const credentials: Record<string, string> = provider.apiKey ? { authorization: `Bearer ${provider.apiKey}` } : {};
      this.audio = new OpenAIAudioEndpoints(this.http, provider.name, (operation) => `${this.profile.apiPrefix}/audio/${operation}`, credentials);
    }
  }

  async chatCompletion(call: ChatCompletionCall, context: UpstreamCallContext): Promise<ChatCompletionResult> {
    const body = prepareRequest(call.body, () => {
      const adapted = this.profile.reasoningModels ? adaptReasoningBody(call.body) : call.body;
      return JSON.stringify(call.stream ? withUsageRequested(adapted) : adapted);
    });
    const path = `${this.profile.apiPrefix}/chat/completions`;
    const response = await this.http.send('POST', path, this.headers(context, call.stream), body, context.signal);
    // Awaited, not handed on: resolving with a promise would cost one more per request.
    return await openAIChatResult(this.http, this.provider.name, response, call.stream);
  }

  async embeddings(call: EmbeddingsCall, context: UpstreamCallContext): Promise<JsonResult> {
    if (this.profile.ollamaEmbeddings) return this.ollamaEmbeddings(call, context);
    const path = `${this.profile.apiPrefix}/embeddings`;
    const response = await this.http.send('POST', path, this.headers(context, false), serializeRequestBody(call.body), context.signal);
    return openAIJsonResult(this.http, this.provider.name, response);
  }

  forward(request: RawUpstreamRequest, context: UpstreamCallContext): Promise<UpstreamHttpResponse> {
    const headers: UpstreamHeaders = { ...request.headers, 'x-request-id': context.requestId };
    if (this.provider.apiKey) headers.authorization = `Bearer ${this.provider.apiKey}`;
    return this.http.send(request.method, this.profile.forwardPrefix + request.path, headers, request.body, context.signal);
  }

  async listModels(context: UpstreamCallContext): Promise<UpstreamModel[]> {
    const response = await this.http.send('GET', `${this.profile.apiPrefix}/models`, this.headers(context, false), undefined, context.signal);
    await throwOnFailure(this.http, this.provider.name, response);
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

  private async ollamaEmbeddings(call: EmbeddingsCall, context: UpstreamCallContext): Promise<JsonResult> {
    const request = prepareRequest(call.body, () => ollamaEmbedRequest(call, this.provider.name));
    const response = await this.http.send('POST', '/api/embed', this.headers(context, false), request.body, context.signal);
    await throwOnFailure(this.http, this.provider.name, response);
    return ollamaEmbedResult(request, await this.http.readBody(response), this.provider.name);
  }

  private headers(context: UpstreamCallContext, stream: boolean): UpstreamHeaders {
    const headers: UpstreamHeaders = {
      'content-type': 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
      'x-request-id': context.requestId,
    };
    // Self-hosted servers (Ollama, vLLM without --api-key) get no Authorization header at all.
    if (this.provider.apiKey) headers.authorization = `Bearer ${this.provider.apiKey}`;
    return headers;
  }
}
