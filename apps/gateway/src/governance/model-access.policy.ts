import { Injectable } from '@nestjs/common';
import type { RoutePlan } from '@app/providers';
import { type AdmissionPolicy, Rejection } from '../pipeline/admission';
import type { Exchange } from '../pipeline/exchange';
import { ModelAccess, modelNotAllowedMessage } from './model-access';

/**
 * Refuses a plan whose model the caller's key may not use (403 `model_not_allowed`), before any
 * other policy reserves anything: it runs first. Holds no reservation.
 */
@Injectable()
export class ModelAccessPolicy implements AdmissionPolicy<null> {
  constructor(private readonly access: ModelAccess) {}

  admit(exchange: Exchange, plan: RoutePlan): null | Rejection {
    // A plan without targets (passthrough whose body names no model) has no model to judge.
    if (plan.targets.length === 0 || this.access.allowsPlan(exchange.caller, plan)) return null;
    return new Rejection(403, modelNotAllowedMessage(plan.selector), 'model_not_allowed');
  }

  settle(): void {}
}
