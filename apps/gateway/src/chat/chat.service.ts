import { performance } from 'node:perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { usageFromOpenAI } from '@app/core';
import { type ResolvedTarget, RouterService, UpstreamExecutor, type UpstreamFailure } from '@app/providers';
import type { Exchange } from '../http/exchange';
import { readJsonBody } from '../http/json-body';
import { upstreamSignal } from '../http/upstream-signal';
import { readChatRoutingFields } from './chat-request';
import { relayChatStream } from './chat-stream-relay';

/** A stream whose first event has arrived: retries are over, the client can be answered. */
interface PrimedStream {
  readonly first: string;
  readonly rest: AsyncIterator<string>;
}

/** Serves POST /v1/chat/completions: route, call upstream with retries, relay the answer. */
@Injectable()
export class ChatService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly router: RouterService,
    private readonly executor: UpstreamExecutor,
  ) {}

  async complete(exchange: Exchange): Promise<void> {
    const body = await readJsonBody(exchange.request, this.config.bodySizeLimit);
    const fields = readChatRoutingFields(body);
    exchange.stream = fields.stream;
    const target = this.router.resolve(fields.model);
    exchange.provider = target.provider.name;
    exchange.model = target.model;
    // Streams have no overall deadline (they may legitimately run long); idle gaps are bounded upstream.
    const signal = upstreamSignal(exchange, fields.stream ? undefined : this.config.upstream.totalTimeoutMs);
    const upstreamBody = { ...body, model: target.model };
    try {
      if (fields.stream) await this.stream(exchange, target, upstreamBody, signal, fields.clientWantsUsage);
      else await this.json(exchange, target, upstreamBody, signal);
    } catch (error) {
      exchange.upstreamStatus = (error as UpstreamFailure).upstreamStatus ?? 'error';
      throw error;
    }
  }

  private async json(exchange: Exchange, target: ResolvedTarget, body: Record<string, unknown>, signal: AbortSignal): Promise<void> {
    const result = await this.executor.execute(target.provider, signal, () =>
      target.provider.adapter.chatCompletion({ body, stream: false }, { requestId: exchange.requestId, signal }),
    );
    exchange.upstreamEndedAt = performance.now();
    exchange.upstreamStatus = result.status;
    if (result.kind !== 'json') throw new Error('adapter answered a non-streaming call with a stream');
    exchange.usage = usageFromOpenAI((JSON.parse(result.body.toString('utf8')) as { usage?: unknown }).usage);
    exchange.response.writeHead(200, { 'content-type': 'application/json', 'content-length': result.body.length });
    exchange.response.end(result.body);
  }

  private async stream(exchange: Exchange, target: ResolvedTarget, body: Record<string, unknown>, signal: AbortSignal, clientWantsUsage: boolean): Promise<void> {
    // The first event is awaited inside the retried attempt: until it exists nothing has reached
    // the client, so a stream that fails before its first event is retried like any other failure.
    const primed = await this.executor.execute<PrimedStream>(target.provider, signal, async () => {
      const result = await target.provider.adapter.chatCompletion({ body, stream: true }, { requestId: exchange.requestId, signal });
      if (result.kind !== 'stream') throw new Error('adapter answered a streaming call with JSON');
      exchange.upstreamStatus = result.status;
      const rest = result.events[Symbol.asyncIterator]();
      const first = await rest.next();
      if (first.done) throw new Error('upstream stream ended without any event');
      return { first: first.value, rest };
    });
    exchange.firstTokenAt = performance.now();
    await relayChatStream(exchange, primed.first, primed.rest, clientWantsUsage);
  }
}
