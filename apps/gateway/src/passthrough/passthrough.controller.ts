import { Injectable } from '@nestjs/common';
import type { Exchange } from '../http/exchange';
import { HotPathRouter } from '../http/hot-path.router';
import type { HotRoute } from '../http/hot-route';
import { passthroughDoc } from './passthrough.openapi';
import { PassthroughService } from './passthrough.service';

const METHODS: ReadonlyArray<HotRoute['method']> = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/**
 * `/p/{provider}/…` for every method, on the hot path: bodies stream through node:http untouched,
 * which Express's body handling would get in the way of. Auth, request id and recording come from
 * the hot-path router as on every inference route.
 */
@Injectable()
export class PassthroughController {
  constructor(router: HotPathRouter, passthrough: PassthroughService) {
    for (const method of METHODS) {
      router.register({
        method,
        path: '/p/{provider}',
        prefix: '/p/',
        dialect: 'openai',
        recordsUsage: true,
        doc: passthroughDoc(method),
        handle: (exchange: Exchange) => passthrough.forward(exchange),
      });
    }
  }
}
