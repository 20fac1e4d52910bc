import { Controller } from '@nestjs/common';
import type { Exchange } from '../pipeline/exchange';
import { HotRoute } from '../pipeline/hot-route.decorator';
import type { RouteOutcome } from '../pipeline/route-result';
import { CountTokensService } from './count-tokens.service';
import { COUNT_TOKENS_DOC, MESSAGES_DOC } from './messages.openapi';
import { MessagesService } from './messages.service';

/**
 * POST /v1/messages and /v1/messages/count_tokens, hot routes (see pipeline.ts) with Anthropic's
 * error envelope. Counting is free on Anthropic's side, so it writes no usage row.
 */
@Controller()
export class MessagesController {
  constructor(
    private readonly messages: MessagesService,
    private readonly counter: CountTokensService,
  ) {}

  @HotRoute({ method: 'POST', path: '/v1/messages', dialect: 'anthropic', usage: true, doc: MESSAGES_DOC })
  create(exchange: Exchange): RouteOutcome {
    return this.messages.create(exchange);
  }

  @HotRoute({ method: 'POST', path: '/v1/messages/count_tokens', dialect: 'anthropic', usage: false, doc: COUNT_TOKENS_DOC })
  countTokens(exchange: Exchange): RouteOutcome {
    return this.counter.count(exchange);
  }
}
