import { performance } from 'node:perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { usageFromOpenAI } from '@app/core';
import { FailoverRunner, RouterService, type UpstreamFailure } from '@app/providers';
import type { Exchange } from '../http/exchange';
import { readJsonBody } from '../http/json-body';
import { markServedBy, nameAttempts } from '../http/served-by';
import { upstreamSignal } from '../http/upstream-signal';
import { readEmbeddingsModel } from './embeddings-request';

/** Serves POST /v1/embeddings for every provider that has embeddings, along the request's route plan. */
@Injectable()
export class EmbeddingsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly router: RouterService,
    private readonly failover: FailoverRunner,
  ) {}

  async embed(exchange: Exchange): Promise<void> {
    const body = await readJsonBody(exchange.request, this.config);
    const plan = this.router.plan(readEmbeddingsModel(body));
    const signal = upstreamSignal(exchange, this.config.upstream.totalTimeoutMs);
    const context = { requestId: exchange.requestId, signal };
    try {
      const { value: result, target } = await this.failover.run(
        plan,
        context,
        (t) => t.provider.adapter.embeddings({ body: { ...body, model: t.model } }, context),
        nameAttempts(exchange),
      );
      markServedBy(exchange, target);
      exchange.upstreamEndedAt = performance.now();
      exchange.upstreamStatus = result.status;
      exchange.usage = usageFromOpenAI(result.usage);
      exchange.response.writeHead(200, { 'content-type': 'application/json', 'content-length': result.body.length });
      exchange.response.end(result.body);
    } catch (error) {
      exchange.upstreamStatus = (error as UpstreamFailure).upstreamStatus ?? 'error';
      throw error;
    }
  }
}
