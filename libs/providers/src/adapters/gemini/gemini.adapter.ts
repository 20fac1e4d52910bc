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
import { prepareRequest, serializeRequestBody } from '../request-body';
import { discardBody, UpstreamHttp, type UpstreamHeaders, type UpstreamHttpResponse } from '../upstream-http';
import { UpstreamFailure } from '../../resilience/upstream-failure';
import { embeddingsFromGemini, toGeminiEmbeddings } from './gemini-embeddings';
import { geminiStatusFailure } from './gemini-errors';
import { modelResource, toGeminiRequest } from './gemini-request';
import { chatCompletionFromGemini } from './gemini-response';
import { geminiChatChunks } from './gemini-sse';
import type { GeminiGenerateContentResponse } from './gemini-types';

/** Pages of `GET /v1beta/models` read at most: a guard against an upstream that never stops paginating. */
const MAX_MODEL_PAGES = 20;
const GENERATION_METHODS = new Set(['generateContent', 'streamGenerateContent', 'embedContent', 'batchEmbedContents']);

/**
 * Adapter for Google's Gemini API (generativelanguage.googleapis.com, v1beta). Translates the
 * canonical Chat Completions and embeddings requests to generateContent / embedContent and the
 * answers back; authenticates with the `x-goog-api-key` header.
 */
export class GeminiAdapter implements ProviderAdapter {
  private readonly http: UpstreamHttp;

  constructor(
    readonly provider: ProviderConfig,
    upstreamConfig: UpstreamConfig,
  ) {
    this.http = new UpstreamHttp(provider.name, provider.baseUrl, upstreamConfig);
  }

  async chatCompletion(call: ChatCompletionCall, context: UpstreamCallContext): Promise<ChatCompletionResult> {
    const request = prepareRequest(call.body, () => JSON.stringify(toGeminiRequest(call.body)));
    const model = String(call.body.model);
    const method = call.stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
    const response = await this.http.send('POST', `/v1beta/${modelResource(model)}:${method}`, this.headers(context, call.stream), request, context.signal);
    await this.assertSuccess(response);
    if (!call.stream) {
      const answer = await this.readJson<GeminiGenerateContentResponse>(response);
      const completion = chatCompletionFromGemini(answer, model);
      return { kind: 'json', status: 200, body: Buffer.from(JSON.stringify(completion)), usage: completion.usage };
    }
    if (!String(response.headers['content-type'] ?? '').includes('text/event-stream')) {
      discardBody(response.body);
      throw new UpstreamFailure('protocol', this.provider.name, `Upstream provider '${this.provider.name}' did not answer with an event stream.`);
    }
    return { kind: 'stream', status: 200, events: geminiChatChunks(this.http, this.provider.name, response, model) };
  }

  async embeddings(call: EmbeddingsCall, context: UpstreamCallContext): Promise<JsonResult> {
    const request = prepareRequest(call.body, () => toGeminiEmbeddings(call.body));
    const response = await this.http.send('POST', request.path, this.headers(context, false), serializeRequestBody(request.body), context.signal);
    await this.assertSuccess(response);
    const answer = await this.readJson<Record<string, unknown>>(response);
    try {
      const embeddings = embeddingsFromGemini(request, answer, String(call.body.model));
      return { kind: 'json', status: 200, body: Buffer.from(JSON.stringify(embeddings)), usage: embeddings.usage };
    } catch (error) {
      throw this.unreadable(error);
    }
  }

  async listModels(context: UpstreamCallContext): Promise<UpstreamModel[]> {
    const models: UpstreamModel[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_MODEL_PAGES; page++) {
      const query = `pageSize=1000${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`;
      const response = await this.http.send('GET', `/v1beta/models?${query}`, this.headers(context, false), undefined, context.signal);
      await this.assertSuccess(response);
      const listing = await this.readJson<{ models?: Array<Record<string, unknown>>; nextPageToken?: string }>(response);
      for (const model of listing.models ?? []) {
        const listed = listedModel(model);
        if (listed) models.push(listed);
      }
      pageToken = listing.nextPageToken;
      if (!pageToken) break;
    }
    return models;
  }

  /** Native passthrough: the provider key replaces any client credential, including a `?key=` query parameter. */
  forward(request: RawUpstreamRequest, context: UpstreamCallContext): Promise<UpstreamHttpResponse> {
    const headers: UpstreamHeaders = { ...request.headers, 'x-request-id': context.requestId };
    delete headers['x-goog-api-key'];
    if (this.provider.apiKey) headers['x-goog-api-key'] = this.provider.apiKey;
    return this.http.send(request.method, withoutKeyParameter(request.path), headers, request.body, context.signal);
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async assertSuccess(response: UpstreamHttpResponse): Promise<void> {
    if (response.status >= 200 && response.status < 300) return;
    throw geminiStatusFailure(this.provider.name, response.status, response.headers, await this.http.readErrorBody(response));
  }

  private async readJson<T>(response: UpstreamHttpResponse): Promise<T> {
    const raw = await this.http.readBody(response);
    try {
      return JSON.parse(raw.toString('utf8')) as T;
    } catch (error) {
      throw this.unreadable(error);
    }
  }

  private unreadable(cause: unknown): UpstreamFailure {
    return new UpstreamFailure('protocol', this.provider.name, `Upstream provider '${this.provider.name}' sent a response the gateway could not read.`, { cause });
  }

  private headers(context: UpstreamCallContext, stream: boolean): UpstreamHeaders {
    const headers: UpstreamHeaders = {
      'content-type': 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
      'x-request-id': context.requestId,
    };
    if (this.provider.apiKey) headers['x-goog-api-key'] = this.provider.apiKey;
    return headers;
  }
}

/** `models/gemini-2.5-flash` → `gemini-2.5-flash`; models that can neither chat nor embed are left out. */
function listedModel(model: Record<string, unknown>): UpstreamModel | undefined {
  if (typeof model.name !== 'string') return undefined;
  const methods = model.supportedGenerationMethods;
  if (Array.isArray(methods) && !methods.some((method) => GENERATION_METHODS.has(method as string))) return undefined;
  return { id: model.name.replace(/^models\//, ''), ownedBy: 'google' };
}

function withoutKeyParameter(path: string): string {
  const query = path.indexOf('?');
  if (query === -1) return path;
  const params = new URLSearchParams(path.slice(query + 1));
  if (!params.has('key')) return path;
  params.delete('key');
  const rest = params.toString();
  return rest ? `${path.slice(0, query)}?${rest}` : path.slice(0, query);
}
