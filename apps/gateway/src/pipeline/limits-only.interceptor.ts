import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';
import type { Caller } from '../auth/caller';
import { ANONYMOUS } from '../auth/caller';
import { Admission } from './admission';
import type { Exchange } from './exchange';

const NO_MODEL = { selector: '', targets: [] };

/**
 * Admission for a Nest-served control-plane route that names no model (the Batches API): the same
 * Admission as the hot routes, so the caller's requests-per-minute and in-flight limits count it
 * (the route is tokenless and budget-free in request-tokens.ts). `route` names the API family,
 * e.g. `@UseInterceptors(LimitsOnly('/v1/batches'))`. A refusal throws before the handler runs and
 * is answered in the OpenAI envelope by the exception filter; what was admitted settles on close.
 */
export function LimitsOnly(route: string): new (admission: Admission) => NestInterceptor {
  @Injectable()
  class LimitsOnlyInterceptor implements NestInterceptor {
    constructor(private readonly admission: Admission) {}

    async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      if (this.admission.empty) return next.handle();
      const http = context.switchToHttp();
      const request = http.getRequest<Request & { caller?: Caller }>();
      const response = http.getResponse<Response>();
      const exchange: Exchange = {
        request,
        response,
        requestId: String(response.getHeader('x-request-id') ?? ''),
        startedAt: performance.now(),
        route,
        caller: request.caller ?? ANONYMOUS,
        bodyText: '',
        body: {},
        stream: false,
      };
      // Registered first: a refusal by a later policy still settles what an earlier one admitted.
      response.once('close', () => this.admission.settle(exchange, { status: response.statusCode, completed: response.writableFinished, errorType: exchange.errorType }));
      await this.admission.admit(exchange, NO_MODEL);
      return next.handle();
    }
  }
  return LimitsOnlyInterceptor;
}
