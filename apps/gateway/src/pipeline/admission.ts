import { type DynamicModule, Global, Inject, Injectable, Module, Optional, type Type } from '@nestjs/common';
import type { TokenUsage } from '@app/core';
import { GatewayError } from '@app/core';
import type { RoutePlan } from '@app/providers';
import type { Exchange } from './exchange';

/** A policy's refusal: the status and message the client gets, in its route's dialect. */
export class Rejection {
  constructor(
    readonly status: number,
    readonly message: string,
    readonly code?: string,
    /** The client's wait before trying again (sent as `retry-after` and `retry-after-ms`). */
    readonly retryAfterMs?: number,
  ) {}
}

/** How an admitted request ended, told to every policy that admitted it, once. */
export interface AdmissionOutcome {
  /** The status the client got (499 when it left before its answer). */
  readonly status: number;
  /** True when the answer was written completely. */
  readonly completed: boolean;
  readonly usage?: TokenUsage;
  readonly provider?: string;
  readonly model?: string;
  /** Set when the request failed (before or during the answer), or was refused by a later policy ('rejected'). */
  readonly errorType?: string;
  /** The work goes on after the answer and charges its own true cost (see Exchange.costChargedLater). */
  readonly costChargedLater?: boolean;
}

/**
 * A step between resolve and execute: rate limits, budgets, cache lookups… `admit` returns a
 * reservation (anything; settled later) or a Rejection; `settle` runs exactly once per admitted
 * request, whatever happened: success, error, client abort, stream cut, or a later policy's refusal.
 */
export interface AdmissionPolicy<R = unknown> {
  admit(exchange: Exchange, plan: RoutePlan): R | Rejection | Promise<R | Rejection>;
  settle(reservation: R, outcome: AdmissionOutcome): void;
}

/** The ordered list of policies (one provider holding an array: Nest has no multi-providers). */
export const ADMISSION_POLICIES = Symbol('ADMISSION_POLICIES');

/** Binds the policies the pipeline runs, in order; the governance module adds its own here. */
@Global()
@Module({})
export class AdmissionModule {
  static forRoot(policies: readonly Type<AdmissionPolicy>[] = []): DynamicModule {
    return {
      module: AdmissionModule,
      providers: [...policies, { provide: ADMISSION_POLICIES, useFactory: (...instances: AdmissionPolicy[]) => instances, inject: [...policies] }],
      exports: [ADMISSION_POLICIES],
    };
  }
}

/** Runs the policies for one request and settles what they reserved. */
@Injectable()
export class Admission {
  private readonly policies: readonly AdmissionPolicy[];

  constructor(@Optional() @Inject(ADMISSION_POLICIES) policies?: AdmissionPolicy[]) {
    this.policies = policies ?? [];
  }

  get empty(): boolean {
    return this.policies.length === 0;
  }

  /**
   * Admits in order; the first refusal throws (in the caller's dialect), and what was admitted
   * before it is settled on close. Returns a promise only when a policy did.
   */
  admit(exchange: Exchange, plan: RoutePlan): void | Promise<void> {
    exchange.admitted = [];
    for (let index = 0; index < this.policies.length; index++) {
      const verdict = this.policies[index].admit(exchange, plan);
      // Most policies decide synchronously for most callers (no limits, no budget): only a policy
      // that has to ask its store costs the request an await.
      if (verdict instanceof Promise) return this.admitFrom(index, verdict, exchange, plan);
      accept(verdict, exchange);
    }
  }

  /** The rest of admit() once a policy answered with a promise. */
  private async admitFrom(index: number, pending: Promise<unknown>, exchange: Exchange, plan: RoutePlan): Promise<void> {
    accept(await pending, exchange);
    for (let next = index + 1; next < this.policies.length; next++) accept(await this.policies[next].admit(exchange, plan), exchange);
  }

  /** Called once, from the response's `close`: every policy that admitted hears the outcome. */
  settle(exchange: Exchange, outcome: AdmissionOutcome): void {
    const admitted = exchange.admitted;
    if (admitted === undefined) return;
    exchange.admitted = undefined;
    for (let index = admitted.length - 1; index >= 0; index--) {
      try {
        this.policies[index].settle(admitted[index], outcome);
      } catch {
        // One policy's failure must not keep the others from settling.
      }
    }
  }
}

/** Keeps an admitting policy's reservation, or throws its refusal in the caller's dialect. */
function accept(verdict: unknown, exchange: Exchange): void {
  if (verdict instanceof Rejection) {
    exchange.errorType = 'rejected';
    const error = new GatewayError(kindOf(verdict.status), verdict.message, { status: verdict.status, code: verdict.code });
    // The error responder reads `retryAfterMs` off the error, as it does for an upstream's wait.
    throw verdict.retryAfterMs === undefined ? error : Object.assign(error, { retryAfterMs: verdict.retryAfterMs });
  }
  exchange.admitted!.push(verdict);
}

function kindOf(status: number): ConstructorParameters<typeof GatewayError>[0] {
  if (status === 429) return 'rate_limited';
  if (status === 401) return 'authentication';
  if (status === 403) return 'permission';
  if (status === 402 || status === 400) return 'invalid_request';
  return status >= 500 ? 'unavailable' : 'invalid_request';
}
