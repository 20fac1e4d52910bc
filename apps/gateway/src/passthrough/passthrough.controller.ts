import { Controller } from '@nestjs/common';
import type { Exchange } from '../pipeline/exchange';
import { HotRoute } from '../pipeline/hot-route.decorator';
import type { RouteOutcome } from '../pipeline/route-result';
import { passthroughDoc } from './passthrough.openapi';
import { PassthroughService } from './passthrough.service';

/**
 * `/p/{provider}/…` for every method, as a hot route: bodies stream through node:http untouched,
 * which Express's body handling would get in the way of. Auth, request id and recording come from
 * the pipeline as on every inference route.
 */
@Controller()
export class PassthroughController {
  constructor(private readonly passthrough: PassthroughService) {}

  @HotRoute({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
    path: '/p/{provider}',
    prefix: '/p/',
    dialect: 'openai',
    usage: true,
    body: 'stream',
    doc: passthroughDoc,
  })
  forward(exchange: Exchange): Promise<RouteOutcome> {
    return this.passthrough.forward(exchange);
  }
}
