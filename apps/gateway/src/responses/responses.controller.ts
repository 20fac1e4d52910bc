import { Controller } from '@nestjs/common';
import type { Exchange } from '../pipeline/exchange';
import { HotRoute } from '../pipeline/hot-route.decorator';
import type { RouteOutcome } from '../pipeline/route-result';
import { ResponsesAuxService } from './responses-aux.service';
import { RESPONSES_DOC } from './responses.openapi';
import { ResponsesService } from './responses.service';

/**
 * The inference side of the Responses API as hot routes: creating a response, counting input
 * tokens, compacting. Exact routes, so they win over the lifecycle routes served by Nest.
 */
@Controller()
export class ResponsesController {
  constructor(
    private readonly responses: ResponsesService,
    private readonly aux: ResponsesAuxService,
  ) {}

  @HotRoute({ method: 'POST', path: '/v1/responses', dialect: 'openai', usage: true, doc: RESPONSES_DOC.create })
  create(exchange: Exchange): Promise<RouteOutcome> {
    return this.responses.create(exchange);
  }

  @HotRoute({ method: 'POST', path: '/v1/responses/input_tokens', dialect: 'openai', usage: false, doc: RESPONSES_DOC.inputTokens })
  inputTokens(exchange: Exchange): RouteOutcome {
    return this.aux.inputTokens(exchange);
  }

  @HotRoute({ method: 'POST', path: '/v1/responses/compact', dialect: 'openai', usage: true, doc: RESPONSES_DOC.compact })
  compact(exchange: Exchange): RouteOutcome {
    return this.aux.compact(exchange);
  }
}
