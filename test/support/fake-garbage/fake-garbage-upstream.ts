import type { IncomingMessage, ServerResponse } from 'node:http';
import { pathOf, ScriptedFakeServer, sendJson, writeThenDestroy } from '../fake-server';

/**
 * What a misbehaving upstream (a provider ignoring `stream: true`, a captive portal, a proxy that
 * lost its backend) answers to every POST: status 200 with a body that is not what was asked for.
 */
export type GarbageReply =
  /** Well-formed JSON, but not the answer's shape nor an event stream. */
  | 'json'
  /** Starts and ends like a JSON object, but is not JSON. */
  | 'invalid-json'
  | 'html'
  | 'empty'
  /** Announces a JSON body, sends half of it, then resets the connection. */
  | 'reset-mid-body';

export interface RecordedGarbageRequest {
  readonly method: string;
  readonly path: string;
}

const BODIES: Record<Exclude<GarbageReply, 'empty' | 'reset-mid-body'>, { type: string; text: string }> = {
  json: { type: 'application/json', text: '{"status":"ok","note":"this is not the answer you asked for"}' },
  'invalid-json': { type: 'application/json', text: '{"id":"chatcmpl-garbage","choices":[{"index":0, oops}}' },
  html: { type: 'text/html; charset=utf-8', text: '<!DOCTYPE html><html><body><h1>Sign in to the network</h1></body></html>' },
};
const HALF_JSON = JSON.stringify({ id: 'resp_cut', object: 'response', output: [{ type: 'message', content: [{ type: 'output_text', text: 'x'.repeat(2048) }] }] });

/**
 * A fake for any provider dialect: every POST gets the current garbage reply, every GET a 503 (so
 * model listings fail and the gateway trusts `provider/model` selectors). Stateless per request,
 * so retries of one client request all see the same reply.
 */
export class FakeGarbageUpstream extends ScriptedFakeServer<GarbageReply, RecordedGarbageRequest> {
  private constructor() {
    super('json');
  }

  static async start(): Promise<FakeGarbageUpstream> {
    return new FakeGarbageUpstream().listen();
  }

  /** `http://127.0.0.1:<port>`; dialects that want `/v1` append it. */
  get url(): string {
    return this.origin;
  }

  /** The reply every POST gets from now on. */
  answerWith(reply: GarbageReply): void {
    this.fallback = reply;
  }

  protected route(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: pathOf(req.url ?? '/') });
    if (method !== 'POST') return sendJson(res, 503, { error: { message: 'listing unavailable' } });
    const reply = this.nextBehaviour();
    if (reply === 'empty') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '0' });
      return void res.end();
    }
    if (reply === 'reset-mid-body') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(HALF_JSON) });
      return writeThenDestroy(req, res, [HALF_JSON.slice(0, HALF_JSON.length >> 1)]);
    }
    const body = BODIES[reply];
    res.writeHead(200, { 'content-type': body.type, 'content-length': Buffer.byteLength(body.text) });
    res.end(body.text);
  }
}
