import { performance } from 'node:perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  type AudioOperation,
  type PrimedUpstreamResponse,
  primeBody,
  type ResolvedTarget,
  RouterService,
  type UpstreamCallContext,
  type UpstreamHttpResponse,
} from '@app/providers';
import { readWholeBody } from '../native/native-upstream';
import type { Exchange } from '../pipeline/exchange';
import { type Execution, jsonResult, type RouteResult } from '../pipeline/route-result';
import { audioStreamResult, doneEventUsage, isEventStream } from './audio-answer';
import { audioEndpointsOf } from './audio-endpoints-of';
import { readAudioForm } from './audio-form-reader';
import { audioUsage } from './audio-usage';
import { multipartBody } from './multipart-writer';
import { readTranscriptionRequest, type TranscriptionRequest } from './transcription-request';

type TextOperation = Extract<AudioOperation, 'transcriptions' | 'translations'>;

/** A transcription answer in hand: a document read whole, or an event stream whose first chunk arrived. */
type Opened = { readonly upstream: UpstreamHttpResponse; readonly body: Buffer } | { readonly upstream: PrimedUpstreamResponse; readonly body?: undefined };

/** Transcripts are text: even verbose_json of a long file stays far below this. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/**
 * Serves POST /v1/audio/transcriptions and /v1/audio/translations. The form is read (file spooled,
 * see UploadSpool) before the plan runs, because the target depends on `model`, wherever in the
 * form it came; each attempt then writes a fresh multipart body — the client's fields, `model`
 * rewritten for the target, the file streamed from the spool — so retries and failover resend it.
 * Documents (json, verbose_json, text, srt, vtt) are read whole inside the attempt and relayed
 * with the upstream's Content-Type; `stream: true` answers are relayed event by event.
 */
@Injectable()
export class TranscriptionService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly router: RouterService,
  ) {}

  async transcribe(exchange: Exchange, operation: TextOperation): Promise<Execution<Opened>> {
    const form = await readAudioForm(exchange.request, this.config.audioMaxBytes);
    // Whatever happens next, the spooled upload goes when the response closes.
    exchange.response.once('close', () => void form.file?.spool.dispose());
    const request = readTranscriptionRequest(form);
    exchange.stream = request.stream;
    return {
      kind: 'execute',
      plan: this.router.plan(request.model),
      attempt: (target, context) => this.open(target, operation, request, context),
      respond: (opened) => this.respond(exchange, opened),
    };
  }

  private async open(target: ResolvedTarget, operation: TextOperation, request: TranscriptionRequest, context: UpstreamCallContext): Promise<Opened> {
    const audio = audioEndpointsOf(target, operation);
    const { file } = request;
    const form = multipartBody([{ name: 'model', value: target.model }, ...request.fields], {
      name: 'file',
      filename: file.filename,
      contentType: file.contentType,
      size: file.spool.size,
      open: () => file.spool.open(),
    });
    const upstream = await audio.send({ operation, model: target.model, contentType: form.contentType, contentLength: form.contentLength, body: form.body }, context);
    if (isEventStream(upstream.headers)) return { upstream: await primeBody(target.provider.name, upstream) };
    return { upstream, body: await readWholeBody(target.provider, upstream, MAX_ANSWER_BYTES) };
  }

  private respond(exchange: Exchange, opened: Opened): RouteResult {
    if (opened.body === undefined) return audioStreamResult(exchange, opened.upstream, 'text/event-stream', (done) => doneEventUsage(done, 'transcription'));
    exchange.upstreamEndedAt = performance.now();
    exchange.upstreamStatus = opened.upstream.status;
    exchange.stream = false;
    const contentType = String(opened.upstream.headers['content-type'] ?? 'application/json');
    if (contentType.includes('json')) exchange.usage = documentUsage(opened.body);
    return jsonResult(opened.upstream.status, opened.body, { 'content-type': contentType });
  }
}

/** The usage of a json / verbose_json answer; text, srt and vtt answers carry none. */
function documentUsage(body: Buffer): ReturnType<typeof audioUsage> {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return parsed && typeof parsed === 'object' ? audioUsage(parsed as Record<string, unknown>, 'transcription') : undefined;
  } catch {
    return undefined;
  }
}
