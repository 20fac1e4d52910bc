import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenUsage } from '@app/core';
import type { Caller } from '../auth/api-key-authenticator';

/**
 * Everything known about one hot-path request while it is served. Handlers fill in the upstream
 * facts as they learn them; when the response closes, the exchange is recorded once (usage row,
 * metrics) whatever happened.
 */
export interface Exchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly requestId: string;
  /** performance.now() when the request arrived. */
  readonly startedAt: number;
  /** The route's template, e.g. `/v1/chat/completions`, used for metrics and usage `endpoint`. */
  readonly route: string;
  readonly caller: Caller;
  provider?: string;
  model?: string;
  stream: boolean;
  usage?: TokenUsage;
  /** performance.now() when the first upstream event arrived (streams). */
  firstTokenAt?: number;
  /** performance.now() when the upstream answer ended. */
  upstreamEndedAt?: number;
  /** Upstream status (or 'error' when none came back). */
  upstreamStatus?: number | 'error';
  /** The kind of failure, when the exchange failed (before or during the answer). */
  errorType?: string;
}
