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
import { prepareRequest } from '../request-body';
import { discardBody, UpstreamHttp, type UpstreamHttpResponse } from '../upstream-http';
import { UpstreamFailure } from '../../resilience/upstream-failure';
import { embeddingsResult } from '../openai/embeddings-shape';
import { BedrockAuth } from './bedrock-auth';
import { type InvokeCall, planBedrockEmbeddings } from './bedrock-embeddings';
import { bedrockStatusFailure } from './bedrock-errors';
import { toConverseRequest } from './converse-request';
import { toChatCompletion } from './converse-response';
import { converseStreamEvents } from './converse-stream';

const EVENT_STREAM = 'application/vnd.amazon.eventstream';

/**
 * Amazon Bedrock through its Converse and ConverseStream APIs (one request shape for every chat
 * model family), InvokeModel for Titan and Cohere embeddings, SigV4 or a Bedrock API key for auth.
 */
export class BedrockAdapter implements ProviderAdapter {
  private readonly http: UpstreamHttp;
  private readonly auth: BedrockAuth;

  constructor(
    readonly provider: ProviderConfig,
    upstreamConfig: UpstreamConfig,
  ) {
    this.http = new UpstreamHttp(provider.name, provider.baseUrl, upstreamConfig);
    this.auth = new BedrockAuth(provider.baseUrl, provider.bedrock ?? { region: 'us-east-1' });
  }

  async chatCompletion(call: ChatCompletionCall, context: UpstreamCallContext): Promise<ChatCompletionResult> {
    const model = String(call.body.model);
    // Translated before any I/O: an untranslatable field is the client's 400, not an upstream failure.
    const body = prepareRequest(call.body, () => JSON.stringify(toConverseRequest(call.body)));
    const operation = call.stream ? 'converse-stream' : 'converse';
    const response = await this.post(modelPath(model, operation), body, context, call.stream ? EVENT_STREAM : 'application/json');
    await this.throwOnFailure(response);
    if (!call.stream) {
      const converse = this.parseJson(await this.http.readBody(response));
      const completion = toChatCompletion(converse, model);
      return { kind: 'json', status: response.status, body: Buffer.from(JSON.stringify(completion)), usage: completion.usage };
    }
    if (!String(response.headers['content-type'] ?? '').includes(EVENT_STREAM)) {
      discardBody(response.body);
      throw new UpstreamFailure('protocol', this.provider.name, `Upstream provider '${this.provider.name}' did not answer with an event stream.`);
    }
    return { kind: 'stream', status: response.status, events: converseStreamEvents(this.http, this.provider.name, response, model) };
  }

  async embeddings(call: EmbeddingsCall, context: UpstreamCallContext): Promise<JsonResult> {
    const model = String(call.body.model);
    const plan = prepareRequest(call.body, () => planBedrockEmbeddings(call, this.provider.name));
    const results = await Promise.all(plan.calls.map((invoke) => this.invoke(model, invoke, context)));
    const vectors = results.flatMap((result) => result.vectors);
    const tokens = results.reduce((sum, result) => sum + result.tokens, 0);
    return embeddingsResult(model, vectors, tokens, plan.encoding);
  }

  /** The model catalogue lives on the control-plane endpoint (other permissions): BEDROCK_MODELS is the list. */
  listModels(): Promise<UpstreamModel[]> {
    return Promise.resolve(this.provider.models.map((id) => ({ id, ownedBy: 'bedrock' })));
  }

  async forward(request: RawUpstreamRequest, context: UpstreamCallContext): Promise<UpstreamHttpResponse> {
    const headers = await this.auth.headers({ method: request.method, path: request.path, headers: { ...request.headers, 'x-request-id': context.requestId }, body: request.body });
    return this.http.send(request.method, request.path, headers, request.body, context.signal);
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async invoke(model: string, invoke: InvokeCall, context: UpstreamCallContext): Promise<{ vectors: number[][]; tokens: number }> {
    const response = await this.post(modelPath(model, 'invoke'), invoke.body, context, 'application/json');
    await this.throwOnFailure(response);
    const answer = this.parseJson(await this.http.readBody(response));
    const headerTokens = Number(response.headers['x-amzn-bedrock-input-token-count'] ?? 0) || 0;
    const read = invoke.read(answer, headerTokens);
    if (!read) throw new UpstreamFailure('protocol', this.provider.name, `Upstream provider '${this.provider.name}' sent an embeddings answer the gateway could not read.`);
    return read;
  }

  private async post(path: string, body: string, context: UpstreamCallContext, accept: string): Promise<UpstreamHttpResponse> {
    const base = { 'content-type': 'application/json', accept, 'x-request-id': context.requestId };
    const headers = await this.auth.headers({ method: 'POST', path, headers: base, body });
    return this.http.send('POST', path, headers, body, context.signal);
  }

  private async throwOnFailure(response: UpstreamHttpResponse): Promise<void> {
    if (response.status >= 200 && response.status < 300) return;
    throw bedrockStatusFailure(this.provider.name, response.status, response.headers, await this.http.readErrorBody(response));
  }

  private parseJson(raw: Buffer): Record<string, any> {
    try {
      const parsed = JSON.parse(raw.toString('utf8'));
      if (parsed && typeof parsed === 'object') return parsed;
    } catch {
      // Falls through to the protocol failure below.
    }
    throw new UpstreamFailure('protocol', this.provider.name, `Upstream provider '${this.provider.name}' sent a response the gateway could not read.`);
  }
}

/** `/model/{modelId}/{operation}`; ids contain `:` and ARNs contain `/`, so the id is encoded. */
function modelPath(model: string, operation: string): string {
  return `/model/${encodeURIComponent(model)}/${operation}`;
}
