import { Injectable } from '@nestjs/common';
import { HotPathRouter } from '../http/hot-path.router';
import { EMBEDDINGS_DOC } from './embeddings.openapi';
import { EmbeddingsService } from './embeddings.service';

/** POST /v1/embeddings, on the hot path (see HotPathRouter). */
@Injectable()
export class EmbeddingsController {
  constructor(router: HotPathRouter, embeddings: EmbeddingsService) {
    router.register({
      method: 'POST',
      path: '/v1/embeddings',
      dialect: 'openai',
      recordsUsage: true,
      doc: EMBEDDINGS_DOC,
      handle: (exchange) => embeddings.embed(exchange),
    });
  }
}
