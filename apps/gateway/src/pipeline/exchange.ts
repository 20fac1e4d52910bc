import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenUsage } from '@app/core';
import type { TraceSpan } from '@app/observability';
import type { ResolvedTarget } from '@app/providers';
import type { Caller } from '../auth/caller';
import type { ResponseBodyTee } from './body-capture';

/**
 * Everything known about one hot-path request while it is served. The pipeline creates it (it is
 * also the request's AsyncLocalStorage context), handlers fill in the upstream facts as they
 * learn them; when the response closes, it is settled and recorded once, whatever happened.
 */
export interface Exchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly requestId: string;
  /** performance.now() when the request arrived. */
  readonly startedAt: number;
  /** The route's template, e.g. `/v1/chat/completions`, used for metrics and usage `endpoint`. */
  readonly route: string;
  caller: Caller;
  /** The JSON body as the client sent it (routes whose body the pipeline reads). */
  bodyText: string;
  /** That body parsed. */
  body: Record<string, unknown>;
  provider?: string;
  model?: string;
  /** The target last attempted (the one that answered, once one did). */
  target?: ResolvedTarget;
  stream: boolean;
  usage?: TokenUsage;
  /** performance.now() when the first upstream event arrived (streams). */
  firstTokenAt?: number;
  /** performance.now() when the upstream answer ended. */
  upstreamEndedAt?: number;
  /** Upstream status (or 'error' when none came back). */
  upstreamStatus?: number | 'error';
  /** The `provider/model` targets attempted, in order (failover), for the audit log. */
  attempts?: string[];
  /** The kind of failure, when the exchange failed (before or during the answer). */
  errorType?: string;
  /** The message the client was answered with, when the exchange failed. */
  errorMessage?: string;
  /** The head of the response, kept only when AUDIT_BODIES captures bodies. */
  bodyCapture?: ResponseBodyTee;
  /**
   * Set when the work continues after the answer (a queued background response): the run charges
   * its true cost to the budgets itself, so the answer's settlement releases the reservation.
   */
  costChargedLater?: boolean;
  /** Reservations of the admission policies that admitted the request, settled on close. */
  admitted?: unknown[];
  /** The response cache's verdict, when the cache judged the request (CACHE_ENABLED). */
  cache?: 'HIT' | 'MISS' | 'BYPASS';
  /** The request's span, only when tracing is on. */
  span?: TraceSpan;
  /** The span of the upstream attempt that answered, ended with the usage when the response closes. */
  attemptSpan?: TraceSpan;
}
