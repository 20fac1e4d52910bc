import { Injectable } from '@nestjs/common';
import type { Exchange } from '../http/exchange';
import { HotPathRouter } from '../http/hot-path.router';
import { CHAT_COMPLETIONS_DOC } from './chat.openapi';
import { ChatService } from './chat.service';

/**
 * POST /v1/chat/completions. Registered on the hot path rather than with @Post: see HotPathRouter.
 * Its OpenAPI description lives in chat.openapi.ts.
 */
@Injectable()
export class ChatController {
  // Registered at construction (not onModuleInit) so the route and its documentation exist as soon
  // as the application object does, before Swagger is set up and before init runs.
  constructor(
    router: HotPathRouter,
    private readonly chat: ChatService,
  ) {
    router.register({
      method: 'POST',
      path: '/v1/chat/completions',
      dialect: 'openai',
      recordsUsage: true,
      doc: CHAT_COMPLETIONS_DOC,
      handle: (exchange: Exchange) => this.chat.complete(exchange),
    });
  }
}
