import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { anthropicError, type FakeAnthropicUpstream, promptTokensOf, type RecordedAnthropicRequest } from '../fake-anthropic';
import { sendJson } from '../fake-upstream/http-replies';

/**
 * Puts Anthropic's `POST /v1/messages/count_tokens` in front of a FakeAnthropicUpstream (which does
 * not serve it): counting requests are answered here, from the same deterministic tokenizer the
 * fake uses (`promptTokensOf`) plus the tools' text, and every other request is proxied to the fake
 * untouched. Credentials and the version header are checked as Anthropic checks them.
 */
export class CountTokensFront {
  readonly countRequests: RecordedAnthropicRequest[] = [];
  private origin = '';

  private constructor(
    private readonly server: Server,
    private readonly upstream: FakeAnthropicUpstream,
    private readonly apiKey: string,
  ) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.onRequest(req, res));
  }

  static async start(upstream: FakeAnthropicUpstream, apiKey: string): Promise<CountTokensFront> {
    const front = new CountTokensFront(createServer(), upstream, apiKey);
    await new Promise<void>((resolve) => front.server.listen(0, '127.0.0.1', resolve));
    front.origin = `http://127.0.0.1:${(front.server.address() as AddressInfo).port}`;
    return front;
  }

  get url(): string {
    return this.origin;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    if (req.method === 'POST' && req.url === '/v1/messages/count_tokens') return this.count(req, res);
    const target = new URL(req.url ?? '/', this.upstream.url);
    const proxied = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      // A fake that cuts its connection must cut the client's too, or the break would go unseen.
      pipeline(answer, res).catch(() => res.destroy());
    });
    proxied.on('error', () => res.destroy());
    req.pipe(proxied);
  }

  private count(req: IncomingMessage, res: ServerResponse): void {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const body = JSON.parse(raw);
      this.countRequests.push({ method: 'POST', path: '/v1/messages/count_tokens', url: req.url ?? '', headers: req.headers, rawBody: raw, body });
      if (req.headers['x-api-key'] !== this.apiKey) return sendJson(res, 401, anthropicError('authentication_error', 'invalid x-api-key'));
      if (!req.headers['anthropic-version']) return sendJson(res, 400, anthropicError('invalid_request_error', 'anthropic-version: header is required'));
      const toolChars = JSON.stringify(body.tools ?? []).length;
      sendJson(res, 200, { input_tokens: promptTokensOf(body) + Math.ceil(toolChars / 4) });
    });
  }
}
