import type { AudioCall, AudioEndpoints, AudioOperation, UpstreamCallContext } from '../provider-adapter';
import { throwOnFailure } from '../openai/openai-result';
import type { UpstreamHeaders, UpstreamHttp, UpstreamHttpResponse } from '../upstream-http';

/** Where an operation lives on one upstream: `/audio/speech` on OpenAI, a deployment path on Azure. */
export type AudioPath = (operation: AudioOperation, model: string) => string;

/**
 * OpenAI's audio API through an adapter's own connection pool and credentials (the adapter builds
 * one when its provider serves audio). Bodies go up as given — JSON for speech, a streamed
 * multipart form for the others — and the answer comes back unread, so audio can be relayed as it
 * arrives.
 */
export class OpenAIAudioEndpoints implements AudioEndpoints {
  constructor(
    private readonly http: UpstreamHttp,
    private readonly providerName: string,
    private readonly path: AudioPath,
    private readonly credentials: UpstreamHeaders,
  ) {}

  async send(call: AudioCall, context: UpstreamCallContext): Promise<UpstreamHttpResponse> {
    const headers: UpstreamHeaders = { 'content-type': call.contentType, accept: '*/*', 'x-request-id': context.requestId, ...this.credentials };
    if (call.contentLength !== undefined) headers['content-length'] = String(call.contentLength);
    const response = await this.http.send('POST', this.path(call.operation, call.model), headers, call.body, context.signal);
    await throwOnFailure(this.http, this.providerName, response);
    return response;
  }
}
