import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonBody, pathOf, ScriptedFakeServer, sendJson } from '../fake-server';
import { type BedrockBehaviour, type BedrockRecordedRequest } from './bedrock-behaviour';
import { converseBody, streamFrames } from './converse-answers';
import { exceptionFrame } from './event-stream-encoder';
import { type AwsTestCredentials, verifySigV4 } from './sigv4-verifier';

export interface FakeBedrockOptions {
  /** SigV4 credentials the fake accepts (the signature is recomputed and compared). */
  credentials?: AwsTestCredentials;
  /** A Bedrock API key accepted as `Authorization: Bearer <key>`. */
  bearerToken?: string;
}

const MODEL_ROUTE = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/;

/**
 * A fake Bedrock runtime endpoint, written from the Bedrock API reference: Converse (JSON),
 * ConverseStream (binary application/vnd.amazon.eventstream frames), InvokeModel for Titan and
 * Cohere embeddings, `x-amzn-ErrorType` errors, SigV4 or bearer auth.
 */
export class FakeBedrock extends ScriptedFakeServer<BedrockBehaviour, BedrockRecordedRequest> {
  private constructor(private readonly options: FakeBedrockOptions) {
    super({ kind: 'text' });
  }

  static async start(options: FakeBedrockOptions): Promise<FakeBedrock> {
    return new FakeBedrock(options).listen();
  }

  /** What BEDROCK_BASE_URL takes in place of https://bedrock-runtime.{region}.amazonaws.com. */
  get baseUrl(): string {
    return this.origin;
  }

  protected route(req: IncomingMessage, res: ServerResponse, raw: string): void {
    // SigV4 verification is asynchronous; a failure in it leaves nothing sensible to answer.
    void this.answer(req, res, raw).catch(() => req.socket.destroy());
  }

  private async answer(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    const rawPath = pathOf(req.url ?? '/');
    const route = MODEL_ROUTE.exec(rawPath);
    const body = parseJsonBody(raw);
    const modelId = route ? decodeURIComponent(route[1]) : '';
    this.requests.push({ method: req.method ?? 'GET', rawPath, modelId, operation: route?.[2] ?? '', headers: req.headers, rawBody: raw, body });
    const denied = await this.authFailure(req, raw);
    if (denied) return awsError(res, 403, denied.type, denied.message);
    if (req.method !== 'POST' || !route) return awsError(res, 404, 'UnknownOperationException', 'Unknown operation');
    if (route[2] === 'invoke') return this.invoke(res, modelId, body);
    if (!Array.isArray(body?.messages) || body.messages.length === 0) return awsError(res, 400, 'ValidationException', 'A conversation must start with a user message.');
    const behaviour = this.nextBehaviour();
    if (behaviour.kind === 'status') return awsError(res, behaviour.status, behaviour.errorType, behaviour.message);
    if (route[2] === 'converse') return sendJson(res, 200, converseBody(body, behaviour));
    this.stream(res, body, behaviour);
  }

  private async authFailure(req: IncomingMessage, raw: string): Promise<{ type: string; message: string } | undefined> {
    const authorization = String(req.headers.authorization ?? '');
    if (this.options.bearerToken !== undefined && authorization === `Bearer ${this.options.bearerToken}`) return undefined;
    if (this.options.credentials) {
      const reason = await verifySigV4(req, raw, this.options.credentials);
      if (!reason) return undefined;
      return { type: 'InvalidSignatureException', message: `The request signature we calculated does not match the signature you provided (${reason}).` };
    }
    return { type: 'AccessDeniedException', message: 'Authentication failed: please check your Bedrock API key.' };
  }

  private stream(res: ServerResponse, body: any, behaviour: BedrockBehaviour): void {
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'fake-request-id' });
    const frames = streamFrames(body, behaviour);
    if (behaviour.kind === 'exception-mid-stream') frames.splice(3, frames.length, exceptionFrame(behaviour.exceptionType, behaviour.message));
    if (behaviour.kind === 'truncated-stream') frames.splice(3);
    if (behaviour.kind === 'cut-frame') frames.splice(3, frames.length, frames[3].subarray(0, 10));
    // One write per frame, some split in two, so the client must reassemble frames across chunks.
    frames.forEach((frame, index) => {
      if (index % 2 === 1 && frame.length > 20) {
        res.write(frame.subarray(0, 7));
        res.write(frame.subarray(7));
      } else res.write(frame);
    });
    res.end();
  }

  private invoke(res: ServerResponse, modelId: string, body: any): void {
    const vector = (text: string) => [text.length / 8, 0.25, -0.5];
    if (/amazon\.titan-embed-text/.test(modelId)) {
      if (typeof body?.inputText !== 'string') return awsError(res, 400, 'ValidationException', 'Malformed input request: required key [inputText] not found');
      const tokens = Math.ceil(body.inputText.length / 4);
      return sendJson(res, 200, { embedding: vector(body.inputText), inputTextTokenCount: tokens }, { 'x-amzn-bedrock-input-token-count': String(tokens) });
    }
    if (/cohere\.embed-/.test(modelId)) {
      if (!Array.isArray(body?.texts) || typeof body.input_type !== 'string')
        return awsError(res, 400, 'ValidationException', 'Malformed input request: #: required key [input_type] not found');
      const tokens = body.texts.reduce((sum: number, text: string) => sum + Math.ceil(text.length / 4), 0);
      const answer = { id: 'emb-fake', embeddings: body.texts.map(vector), response_type: 'embeddings_floats', texts: body.texts };
      return sendJson(res, 200, answer, { 'x-amzn-bedrock-input-token-count': String(tokens) });
    }
    awsError(res, 400, 'ValidationException', 'The provided model identifier is invalid.');
  }
}

/** Bedrock's REST-JSON error: the type in `x-amzn-ErrorType`, the text in `{"message"}`. */
function awsError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { message }, { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` });
}
