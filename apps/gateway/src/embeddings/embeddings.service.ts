import { performance } from 'node:perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { usageFromOpenAI, usageOfJsonBody } from '@app/core';
import { RouterService, UpstreamExecutor, type UpstreamFailure } from '@app/providers';
import type { Exchange } from '../http/exchange';
import { readJsonBody } from '../http/json-body';
import { upstreamSignal } from '../http/upstream-signal';
import { readEmbeddingsModel } from './embeddings-request';

/** Serves POST /v1/embeddings for every provider that has embeddings. */
@Injectable()
export class EmbeddingsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly router: RouterService,
    private readonly executor: UpstreamExecutor,
  ) {}

  async embed(exchange: Exchange): Promise<void> {
    const body = await readJsonBody(exchange.request, this.config);
    const target = this.router.resolve(readEmbeddingsModel(body));
    exchange.provider = target.provider.name;
    exchange.model = target.model;
    const signal = upstreamSignal(exchange, this.config.upstream.totalTimeoutMs);
    const call = { body: { ...body, model: target.model } };
    try {
      const result = await this.executor.execute(target.provider, signal, () =>
        target.provider.adapter.embeddings(call, { requestId: exchange.requestId, signal }),
      );
      exchange.upstreamEndedAt = performance.now();
      exchange.upstreamStatus = result.status;
      exchange.usage = usageFromOpenAI(usageOfJsonBody(result.body));
      exchange.response.writeHead(200, { 'content-type': 'application/json', 'content-length': result.body.length });
      exchange.response.end(result.body);
    } catch (error) {
      exchange.upstreamStatus = (error as UpstreamFailure).upstreamStatus ?? 'error';
      throw error;
    }
  }
}
