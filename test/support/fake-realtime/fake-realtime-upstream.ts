import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type WebSocket from 'ws';
import { WebSocketServer } from 'ws';
import { itemAdded, REFERENCE_USAGE, responseEvents, sessionCreated, sessionUpdated, transcriptionEvents } from './realtime-events';

/** One upgrade the fake received. */
export interface RecordedHandshake {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** How one of the fake's sessions ended, as the fake saw it. */
export interface RecordedClose {
  readonly code: number;
  readonly reason: string;
}

/**
 * A provider's Realtime API, from OpenAI's published event reference: `session.created` on
 * connect, `session.update` → `session.updated`, `conversation.item.create` → `.added`/`.done`,
 * `response.create` → a response (text, or audio when the session's output is audio) ending in
 * `response.done` with usage, transcription sessions, and OpenAI's GA behaviour of closing a
 * session opened with `OpenAI-Beta` with 4000 `beta_api_shape_disabled`. Binary frames are echoed
 * as binary (OpenAI sends none; it shows a relay kept them binary). Also `/v1/models` and a
 * minimal `/v1/chat/completions`, so one fake serves a whole gateway.
 */
export class FakeRealtimeUpstream {
  readonly handshakes: RecordedHandshake[] = [];
  readonly closes: RecordedClose[] = [];
  readonly sockets = new Set<WebSocket>();
  /** Status to answer the next handshakes with instead of upgrading. */
  refuseWith?: number;
  usage: object = REFERENCE_USAGE;
  private readonly server: Server = createServer((request, response) => this.http(request, response));
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });

  private constructor(private readonly apiKey: string) {
    this.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head));
  }

  static async start(apiKey: string): Promise<FakeRealtimeUpstream> {
    const fake = new FakeRealtimeUpstream(apiKey);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** `http://127.0.0.1:<port>/v1`, as OPENAI_BASE_URL. */
  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private http(request: IncomingMessage, response: ServerResponse): void {
    const send = (status: number, body: object): void => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (request.headers.authorization !== `Bearer ${this.apiKey}`)
      return send(401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    if (request.url === '/v1/models') {
      return send(200, { object: 'list', data: ['gpt-realtime', 'gpt-4o-transcribe', 'gpt-4o-mini'].map((id) => ({ id, object: 'model', created: 1, owned_by: 'system' })) });
    }
    request.resume();
    request.on('end', () =>
      send(200, {
        id: 'chatcmpl-fake',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Hello over TLS' }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
      }),
    );
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.handshakes.push({ url: request.url ?? '', headers: request.headers });
    const refusal = this.refuseWith ?? (request.headers.authorization === `Bearer ${this.apiKey}` ? undefined : 401);
    if (refusal !== undefined) {
      socket.end(`HTTP/1.1 ${refusal} Refused\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"error":{"message":"refused","type":"invalid_request_error"}}`);
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.session(ws, request));
  }

  private session(ws: WebSocket, request: IncomingMessage): void {
    this.sockets.add(ws);
    ws.on('close', (code, reason) => {
      this.sockets.delete(ws);
      this.closes.push({ code, reason: reason.toString() });
    });
    const query = new URL(request.url ?? '/', 'http://fake').searchParams;
    const transcription = query.get('intent') === 'transcription';
    const send = (event: object) => ws.send(JSON.stringify(event));
    send(sessionCreated(query.get('model') ?? 'gpt-4o-transcribe', transcription));
    if (request.headers['openai-beta'] !== undefined) {
      send({ type: 'error', error: { type: 'invalid_request_error', code: 'beta_api_shape_disabled', message: 'The beta API shape is disabled for this model.' } });
      ws.close(4000, 'beta_api_shape_disabled');
      return;
    }
    let audioOut = true;
    ws.on('message', (data: Buffer, binary: boolean) => {
      if (binary) return ws.send(data, { binary: true });
      const event = JSON.parse(data.toString()) as { type: string; session?: { output_modalities?: string[] }; item?: Record<string, unknown> };
      if (event.type === 'session.update') {
        if (event.session?.output_modalities) audioOut = event.session.output_modalities.includes('audio');
        send(sessionUpdated(event.session ?? {}));
      } else if (event.type === 'conversation.item.create') itemAdded(event.item ?? {}).forEach(send);
      else if (event.type === 'response.create') responseEvents('Hello from the fake realtime model', audioOut, this.usage).forEach(send);
      else if (event.type === 'input_audio_buffer.commit') transcriptionEvents('hello world').forEach(send);
    });
  }
}
