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
import { openAIChatResult, openAIJsonResult, withUsageRequested } from '../openai/openai-result';
import { adaptReasoningBody } from '../openai/reasoning-models';
import { type AzureRoutes, azureRoutes } from './azure-routes';

/**
 * Azure OpenAI: OpenAI's bodies and SSE, Azure's URLs (see azure-routes.ts) and `api-key` header.
 * Bodies go upstream as the client sent them (model = deployment name), except for reasoning-model
 * deployments, which get the same adaptation as on OpenAI.
 */
export class AzureOpenAIAdapter implements ProviderAdapter {
  private readonly http: UpstreamHttp;
  private readonly routes: AzureRoutes;
  readonly audio?: AudioEndpoints;

  constructor(
    readonly provider: ProviderConfig,
    upstreamConfig: UpstreamConfig,
  ) {
    this.routes = azureRoutes(provider);
    this.http = new UpstreamHttp(provider.name, this.routes.rootUrl, upstreamConfig);
    if (provider.audio) {
      const credentials: Record<string, string> = provider.apiKey ? { 'api-key': provider.apiKey } : {};
      this.audio = new OpenAIAudioEndpoints(this.http, provider.name, (operation, model) => this.routes.audioPath(operation, model), credentials);
    }
  }

  async chatCompletion(call: ChatCompletionCall, context: UpstreamCallContext): Promise<ChatCompletionResult> {
    const body = prepareRequest(call.body, () => {
      const adapted = adaptReasoningBody(call.body);
      return JSON.stringify(call.stream ? withUsageRequested(adapted) : adapted);
    });
    const path = this.routes.chatPath(String(call.body.model));
    const response = await this.http.send('POST', path, this.headers(context, call.stream), body, context.signal);
    // Awaited, not handed on: resolving with a promise would cost one more per request.
    return await openAIChatResult(this.http, this.provider.name, response, call.stream);
  }

  async embeddings(call: EmbeddingsCall, context: UpstreamCallContext): Promise<JsonResult> {
    const path = this.routes.embeddingsPath(String(call.body.model));
    const response = await this.http.send('POST', path, this.headers(context, false), serializeRequestBody(call.body), context.signal);
    return openAIJsonResult(this.http, this.provider.name, response);
  }

  /**
   * Azure's data plane cannot list deployments (that is the management API, with other
   * credentials), so the catalogue is AZURE_MODELS: answering with it keeps the configured list.
   */
  listModels(): Promise<UpstreamModel[]> {
    return Promise.resolve(this.provider.models.map((id) => ({ id, ownedBy: 'azure' })));
  }

  forward(request: RawUpstreamRequest, context: UpstreamCallContext): Promise<UpstreamHttpResponse> {
    const headers: UpstreamHeaders = { ...request.headers, 'x-request-id': context.requestId };
    if (this.provider.apiKey) headers['api-key'] = this.provider.apiKey;
    return this.http.send(request.method, this.routes.forwardPrefix + request.path, headers, request.body, context.signal);
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
    if (this.provider.apiKey) headers['api-key'] = this.provider.apiKey;
    return headers;
  }
}
