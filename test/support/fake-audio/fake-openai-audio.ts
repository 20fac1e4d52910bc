import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import busboy from 'busboy';
import { defaultErrorFor, errorEnvelope } from '../fake-upstream/openai-errors';
import { durationOf, heardText, SPEECH_CONTENT_TYPES, speechBytes, speechEvents, tokenUsage, transcriptDocument, transcriptEvents } from './audio-answers';

/** One audio request as the fake received it. */
export interface AudioRequest {
  readonly path: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  /** Speech: the JSON body. */
  readonly json?: Record<string, any>;
  /** Forms: the text fields in the order they came, and the file. */
  readonly fields: Array<[string, string]>;
  readonly file?: { filename: string; contentType: string; bytes: Buffer };
}

/** `sized`: the speech answer announces its Content-Length instead of being chunked (as some servers do). */
export type AudioBehaviour = { kind: 'ok' } | { kind: 'status'; status: number } | { kind: 'hold-tail' } | { kind: 'sized' };

export interface FakeAudioOptions {
  /** `openai`: `/v1/audio/…` behind Bearer; `azure`: `/openai/deployments/{d}/audio/…?api-version=` behind `api-key`. */
  readonly surface: 'openai' | 'azure';
  /** Required credential; none for a keyless self-hosted server. */
  readonly apiKey?: string;
  readonly models?: string[];
  /** Answer as Groq does: whisper documents carry only verbose_json's `duration`, no `usage`. */
  readonly durationOnly?: boolean;
}

/** Bytes of a speech answer (three writes). */
export const SPEECH_SIZE = 48 * 1024;

/**
 * A fake of OpenAI's audio API, written from its API reference (createSpeech, createTranscription,
 * createTranslation and their streaming events): speech as chunked binary audio or SSE, forms
 * parsed with busboy (the file kept as bytes), documents in every response_format. `hold-tail`
 * sends the head of a speech answer and holds the rest until `releaseTail()`, so a test proves
 * the gateway relays audio as it arrives.
 */
export class FakeOpenAIAudio {
  readonly requests: AudioRequest[] = [];
  private readonly queue: AudioBehaviour[] = [];
  private readonly sockets = new Set<Socket>();
  private release?: () => void;
  /** True once a held answer was completely written. */
  tailWritten = false;

  private constructor(
    private readonly server: Server,
    private readonly options: FakeAudioOptions,
  ) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res));
  }

  static async start(options: FakeAudioOptions): Promise<FakeOpenAIAudio> {
    const fake = new FakeOpenAIAudio(createServer(), options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** `http://127.0.0.1:<port>`, plus `/v1` for the OpenAI surface (what `<TYPE>_BASE_URL` takes). */
  get baseUrl(): string {
    const origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.options.surface === 'openai' ? `${origin}/v1` : origin;
  }

  enqueue(...behaviours: AudioBehaviour[]): void {
    this.queue.push(...behaviours);
  }

  releaseTail(): void {
    this.release?.();
  }

  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
    this.tailWritten = false;
  }

  close(): Promise<void> {
    this.release?.();
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (!this.authorized(req)) return json(res, 401, errorEnvelope('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'));
    if (req.method === 'GET' && url.pathname === '/v1/models')
      return json(res, 200, { object: 'list', data: (this.options.models ?? []).map((id) => ({ id, object: 'model', owned_by: 'openai' })) });
    const route = this.route(url);
    if (!route) return json(res, 404, errorEnvelope(`Invalid URL (${req.method} ${url.pathname})`, 'invalid_request_error'));
    const recorded = route.operation === 'speech' ? await readJson(req, url) : await readForm(req, url);
    this.requests.push(recorded);
    const behaviour = this.queue.shift() ?? { kind: 'ok' };
    const model = route.deployment ?? String(recorded.json?.model ?? field(recorded, 'model') ?? '');
    if (behaviour.kind === 'status') return json(res, behaviour.status, defaultErrorFor(behaviour.status, model));
    if (route.operation === 'speech') return this.speech(res, recorded.json ?? {}, behaviour.kind);
    this.transcript(res, recorded, model, route.operation === 'translations' ? 'translate' : 'transcribe');
  }

  private authorized(req: IncomingMessage): boolean {
    if (this.options.apiKey === undefined) return true;
    return this.options.surface === 'azure' ? req.headers['api-key'] === this.options.apiKey : req.headers.authorization === `Bearer ${this.options.apiKey}`;
  }

  private route(url: URL): { operation: string; deployment?: string } | undefined {
    if (this.options.surface === 'openai') {
      const match = /^\/v1\/audio\/(speech|transcriptions|translations)$/.exec(url.pathname);
      return match ? { operation: match[1] } : undefined;
    }
    const match = /^\/openai\/deployments\/([^/]+)\/audio\/(speech|transcriptions|translations)$/.exec(url.pathname);
    return match && url.searchParams.get('api-version') ? { operation: match[2], deployment: decodeURIComponent(match[1]) } : undefined;
  }

  private speech(res: ServerResponse, body: Record<string, any>, kind: 'ok' | 'hold-tail' | 'sized'): void {
    if (!body.input || !body.voice) return json(res, 400, errorEnvelope("Missing required parameter: 'input'.", 'invalid_request_error', 'missing_required_parameter', 'input'));
    const audio = speechBytes(String(body.input), SPEECH_SIZE);
    if (body.stream_format === 'sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      const events = speechEvents(audio, String(body.input));
      // Real servers end the stream without the last blank line.
      res.end(events.join('').replace(/\n\n$/, '\n'));
      return;
    }
    const framing = kind === 'sized' ? { 'content-length': String(SPEECH_SIZE) } : { 'transfer-encoding': 'chunked' };
    res.writeHead(200, { 'content-type': SPEECH_CONTENT_TYPES[body.response_format ?? 'mp3'], ...framing });
    const third = SPEECH_SIZE / 3;
    res.write(audio.subarray(0, third));
    const tail = () => {
      res.write(audio.subarray(third, 2 * third));
      res.end(audio.subarray(2 * third), () => (this.tailWritten = true));
    };
    if (kind !== 'hold-tail') return tail();
    this.release = tail;
  }

  private transcript(res: ServerResponse, recorded: AudioRequest, model: string, task: 'transcribe' | 'translate'): void {
    if (!recorded.file) return json(res, 400, errorEnvelope("Missing required parameter: 'file'.", 'invalid_request_error', 'missing_required_parameter', 'file'));
    const text = heardText(recorded.file.bytes);
    const whisper = model.includes('whisper');
    const duration = durationOf(recorded.file.bytes);
    const usage = this.options.durationOnly ? undefined : whisper ? { type: 'duration', seconds: Math.ceil(duration) } : tokenUsage(recorded.file.bytes, text);
    if (field(recorded, 'stream') === 'true' && !whisper) {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      for (const event of transcriptEvents(text, usage ?? {})) res.write(event);
      return void res.end();
    }
    const document = transcriptDocument(field(recorded, 'response_format') ?? 'json', text, task, usage, duration);
    res.writeHead(200, { 'content-type': document.type, 'content-length': Buffer.byteLength(document.body) });
    res.end(document.body);
  }
}

function field(request: AudioRequest, name: string): string | undefined {
  return request.fields.find(([key]) => key === name)?.[1];
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage, url: URL): Promise<AudioRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let parsed: Record<string, any> | undefined;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, any>;
  } catch {
    parsed = undefined;
  }
  return { path: url.pathname, url: url.pathname + url.search, headers: req.headers, json: parsed, fields: [] };
}

function readForm(req: IncomingMessage, url: URL): Promise<AudioRequest> {
  return new Promise((resolve, reject) => {
    const fields: Array<[string, string]> = [];
    let file: AudioRequest['file'];
    const parser = busboy({ headers: req.headers });
    parser.on('field', (name, value) => fields.push([name, value]));
    parser.on('file', (_name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => (file = { filename: info.filename ?? '', contentType: info.mimeType, bytes: Buffer.concat(chunks) }));
    });
    parser.on('close', () => resolve({ path: url.pathname, url: url.pathname + url.search, headers: req.headers, fields, file }));
    parser.on('error', reject);
    req.pipe(parser);
  });
}
