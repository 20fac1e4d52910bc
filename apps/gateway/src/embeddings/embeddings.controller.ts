import { Controller } from '@nestjs/common';
import type { Exchange } from '../pipeline/exchange';
import { HotRoute } from '../pipeline/hot-route.decorator';
import type { RouteOutcome } from '../pipeline/route-result';
import { EMBEDDINGS_DOC } from './embeddings.openapi';
import { EmbeddingsService } from './embeddings.service';

/** POST /v1/embeddings, a hot route (see pipeline.ts). */
@Controller()
export class EmbeddingsController {
  constructor(private readonly embeddings: EmbeddingsService) {}

  @HotRoute({ method: 'POST', path: '/v1/embeddings', dialect: 'openai', usage: true, doc: EMBEDDINGS_DOC })
  embed(exchange: Exchange): RouteOutcome {
    return this.embeddings.embed(exchange);
  }
}
