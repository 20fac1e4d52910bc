import { Controller } from '@nestjs/common';
import type { Exchange } from '../pipeline/exchange';
import { HotRoute } from '../pipeline/hot-route.decorator';
import type { RouteOutcome } from '../pipeline/route-result';
import { CHAT_COMPLETIONS_DOC } from './chat.openapi';
import { ChatService } from './chat.service';

/** POST /v1/chat/completions, a hot route (see pipeline.ts). Its OpenAPI description lives in chat.openapi.ts. */
@Controller()
export class ChatController {
  constructor(private readonly chat: ChatService) {}

  @HotRoute({ method: 'POST', path: '/v1/chat/completions', dialect: 'openai', usage: true, doc: CHAT_COMPLETIONS_DOC })
  complete(exchange: Exchange): RouteOutcome | Promise<RouteOutcome> {
    return this.chat.complete(exchange);
  }
}
