import { performance } from 'node:perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { usageFromOpenAI } from '@app/core';
import { type JsonResult, RouterService } from '@app/providers';
import type { Exchange } from '../pipeline/exchange';
import { type Execution, jsonResult } from '../pipeline/route-result';
import { readEmbeddingsModel } from './embeddings-request';

/** Serves POST /v1/embeddings for every provider that has embeddings, along the request's route plan. */
@Injectable()
export class EmbeddingsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly router: RouterService,
  ) {}

  embed(exchange: Exchange): Execution<JsonResult> {
    const body = exchange.body;
    return {
      kind: 'execute',
      plan: this.router.plan(readEmbeddingsModel(body)),
      deadlineMs: this.config.upstream.totalTimeoutMs,
      attempt: (target, context) => target.provider.adapter.embeddings({ body: { ...body, model: target.model } }, context),
      respond: (result) => {
        exchange.upstreamEndedAt = performance.now();
        exchange.upstreamStatus = result.status;
        exchange.usage = usageFromOpenAI(result.usage);
        return jsonResult(200, result.body);
      },
    };
  }
}
