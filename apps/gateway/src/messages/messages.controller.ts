import { Injectable } from '@nestjs/common';
import type { Exchange } from '../http/exchange';
import { HotPathRouter } from '../http/hot-path.router';
import { CountTokensService } from './count-tokens.service';
import { COUNT_TOKENS_DOC, MESSAGES_DOC } from './messages.openapi';
import { MessagesService } from './messages.service';

/**
 * POST /v1/messages and /v1/messages/count_tokens, registered on the hot path (see HotPathRouter)
 * with Anthropic's error envelope. Counting is free on Anthropic's side, so it writes no usage row.
 */
@Injectable()
export class MessagesController {
  // Registered at construction so the routes and their documentation exist before Swagger is set up.
  constructor(router: HotPathRouter, messages: MessagesService, counter: CountTokensService) {
    router.register({
      method: 'POST',
      path: '/v1/messages',
      dialect: 'anthropic',
      recordsUsage: true,
      doc: MESSAGES_DOC,
      handle: (exchange: Exchange) => messages.create(exchange),
    });
    router.register({
      method: 'POST',
      path: '/v1/messages/count_tokens',
      dialect: 'anthropic',
      recordsUsage: false,
      doc: COUNT_TOKENS_DOC,
      handle: (exchange: Exchange) => counter.count(exchange),
    });
  }
}
