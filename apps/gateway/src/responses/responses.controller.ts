import { Injectable } from '@nestjs/common';
import type { Exchange } from '../http/exchange';
import { HotPathRouter } from '../http/hot-path.router';
import { ResponsesAuxService } from './responses-aux.service';
import { RESPONSES_DOC } from './responses.openapi';
import { ResponsesService } from './responses.service';

/**
 * The inference side of the Responses API on the hot path: creating a response, counting input
 * tokens, compacting. Exact routes, so they win over the lifecycle routes served by Nest.
 */
@Injectable()
export class ResponsesController {
  constructor(router: HotPathRouter, responses: ResponsesService, aux: ResponsesAuxService) {
    router.register({ method: 'POST', path: '/v1/responses', dialect: 'openai', recordsUsage: true, doc: RESPONSES_DOC.create, handle: (exchange: Exchange) => responses.create(exchange) });
    router.register({ method: 'POST', path: '/v1/responses/input_tokens', dialect: 'openai', recordsUsage: false, doc: RESPONSES_DOC.inputTokens, handle: (exchange: Exchange) => aux.inputTokens(exchange) });
    router.register({ method: 'POST', path: '/v1/responses/compact', dialect: 'openai', recordsUsage: true, doc: RESPONSES_DOC.compact, handle: (exchange: Exchange) => aux.compact(exchange) });
  }
}
