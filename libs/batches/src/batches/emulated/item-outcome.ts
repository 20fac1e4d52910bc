import type { TokenUsage } from '@app/core';

/** The upstream (or the gateway on its behalf) answered the item with an HTTP status and a body. */
export interface AnsweredItem {
  readonly kind: 'answered';
  readonly statusCode: number;
  readonly body: unknown;
  readonly usage?: TokenUsage;
  /** What served it (for usage and pricing), when a target was reached. */
  readonly provider: string | null;
  readonly model: string | null;
}

/** Not answered, but worth another try later (a 429, a connection failure, an open circuit). */
export interface RetryItem {
  readonly kind: 'retry';
  readonly delayMs: number;
  /** A rate limit: the provider's pace is slowed for every item, not just this one. */
  readonly rateLimited: boolean;
  readonly code: string;
  readonly message: string;
}

/** Failed for good without an HTTP answer (OpenAI's output line `error`). */
export interface FailedItem {
  readonly kind: 'failed';
  readonly code: string;
  readonly message: string;
}

export type ItemRun = AnsweredItem | RetryItem | FailedItem;
