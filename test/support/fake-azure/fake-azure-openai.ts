import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonBody, ScriptedFakeServer, sendJson, writeSseHead } from '../fake-server';
import { completionBody, nextIds, readChatRequest, streamEvents } from '../fake-upstream/chat-completion-builder';
import type { FakeBehaviour, RecordedRequest } from '../fake-upstream/fake-behaviour';

export interface FakeAzureOptions {
  /** Required in the `api-key` header of every request. */
  apiKey: string;
  /** Deployments the resource has; others answer DeploymentNotFound. */
  deployments: string[];
}

/** Azure's error envelope (`{"error":{"code","message"}}`), as its REST reference shows it. */
const azureError = (code: string, message: string) => ({ error: { code, message } });

const EMBEDDING_DIMENSIONS = 4;

/**
 * A fake Azure OpenAI resource: the classic deployment surface
 * (`/openai/deployments/{deployment}/…?api-version=…`) and the v1 surface (`/openai/v1/…`, model in
 * the body), both behind `api-key`. Answers reuse the fake OpenAI upstream's builders, since Azure
 * serves OpenAI's bodies and SSE.
 */
export class FakeAzureOpenAI extends ScriptedFakeServer<FakeBehaviour, RecordedRequest> {
  private constructor(private readonly options: FakeAzureOptions) {
    super({ kind: 'ok' });
  }

  static async start(options: FakeAzureOptions): Promise<FakeAzureOpenAI> {
    return new FakeAzureOpenAI(options).listen();
  }

  /** The resource root, what AZURE_BASE_URL takes (https://<resource>.openai.azure.com). */
  get baseUrl(): string {
    return this.origin;
  }

  protected route(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const url = new URL(req.url ?? '/', this.origin);
    const body = parseJsonBody(raw);
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, url: req.url ?? '/', headers: req.headers, rawBody: raw, body, receivedAt: Date.now() });
    if (req.headers['api-key'] !== this.options.apiKey) {
      return sendJson(
        res,
        401,
        azureError(
          '401',
          'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
        ),
      );
    }
    const deployment = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/.exec(url.pathname);
    if (deployment) {
      if (!url.searchParams.get('api-version')) return sendJson(res, 404, azureError('404', 'Resource not found'));
      return this.operation(res, decodeURIComponent(deployment[1]), deployment[2], body);
    }
    const v1 = /^\/openai\/v1\/(chat\/completions|embeddings)$/.exec(url.pathname);
    if (v1 && !url.searchParams.has('api-version')) return this.operation(res, String(body?.model ?? ''), v1[1], body);
    sendJson(res, 404, azureError('404', 'Resource not found'));
  }

  private operation(res: ServerResponse, deployment: string, operation: string, body: any): void {
    if (!this.options.deployments.includes(deployment)) {
      return sendJson(
        res,
        404,
        azureError(
          'DeploymentNotFound',
          'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
        ),
      );
    }
    const behaviour = this.nextBehaviour();
    if (behaviour.kind === 'status') return sendJson(res, behaviour.status, behaviour.body ?? azureError(String(behaviour.status), 'Scripted failure'));
    if (operation === 'embeddings') return this.embeddings(res, deployment, body);
    const view = readChatRequest({ ...body, model: deployment });
    if ('error' in view) return sendJson(res, 400, view);
    const ok = behaviour.kind === 'ok' ? behaviour : { kind: 'ok' as const };
    if (!view.stream) return sendJson(res, 200, completionBody(view, ok, nextIds()));
    writeSseHead(res);
    for (const event of streamEvents(view, ok, nextIds())) res.write(event);
    res.end();
  }

  private embeddings(res: ServerResponse, deployment: string, body: any): void {
    const inputs: string[] = Array.isArray(body?.input) ? body.input : [String(body?.input ?? '')];
    const vector = (text: string) => Array.from({ length: EMBEDDING_DIMENSIONS }, (_, i) => (text.length + i) / 8);
    const encode = (values: number[]) => (body?.encoding_format === 'base64' ? Buffer.from(new Float32Array(values).buffer).toString('base64') : values);
    const data = inputs.map((text, index) => ({ object: 'embedding', index, embedding: encode(vector(text)) }));
    const tokens = inputs.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
    sendJson(res, 200, { object: 'list', data, model: deployment, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  }
}
