import { Controller, Get, Module } from '@nestjs/common';
import type { Exchange } from '../../apps/gateway/src/pipeline/exchange';
import { HotRoute } from '../../apps/gateway/src/pipeline/hot-route.decorator';
import { jsonResult, type RouteOutcome } from '../../apps/gateway/src/pipeline/route-result';

/** Routes a later feature might add: none says anything about auth except the explicitly public one. */
@Controller()
export class NewFeatureController {
  @HotRoute({ method: 'POST', path: '/v1/new-feature', dialect: 'openai', usage: false })
  create(exchange: Exchange): RouteOutcome {
    return jsonResult(200, { echoed: exchange.body, caller: exchange.caller.keyId });
  }

  @HotRoute({ method: 'GET', path: '/new-feature/status', dialect: 'openai', usage: false, auth: 'public', body: 'stream' })
  status(): RouteOutcome {
    return jsonResult(200, { ok: true });
  }

  @Get('new-feature/nest')
  nest(): { ok: boolean } {
    return { ok: true };
  }
}

@Module({ controllers: [NewFeatureController] })
export class NewFeatureModule {}

/** Claims a route the chat module already serves. */
@Controller()
export class ShadowChatController {
  @HotRoute({ method: 'POST', path: '/v1/chat/completions', dialect: 'openai', usage: true })
  complete(): RouteOutcome {
    return jsonResult(200, {});
  }
}

@Module({ controllers: [ShadowChatController] })
export class ShadowChatModule {}
