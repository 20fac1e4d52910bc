import type { GatewayError } from '@app/core';
import type { UpstreamCallContext } from '@app/providers';
import type { BatchEndpoint } from '../batch-limits';
import type { NativeResultLine } from './native-lines';
import type { NativeSnapshot } from './native-snapshot';

/** One request line for a provider batch, its `model` already the upstream model. */
export interface NativeBatchLine {
  readonly customId: string;
  readonly body: Record<string, unknown>;
}

export interface NativeCreateRequest {
  readonly endpoint: BatchEndpoint;
  readonly lines: readonly NativeBatchLine[];
  readonly metadata: Record<string, string> | null;
}

/**
 * One provider's batch API (OpenAI's Batch API or Anthropic's Message Batches). Calls throw the
 * dialect's UpstreamFailure on a non-2xx answer.
 */
export interface NativeBatchClient {
  /** Endpoints whose lines this API runs. */
  readonly endpoints: readonly BatchEndpoint[];
  create(request: NativeCreateRequest, context: UpstreamCallContext): Promise<{ nativeId: string; snapshot: NativeSnapshot }>;
  retrieve(nativeId: string, context: UpstreamCallContext): Promise<NativeSnapshot>;
  cancel(nativeId: string, context: UpstreamCallContext): Promise<NativeSnapshot>;
  /** Every result line of an ended batch, in the provider's order. */
  results(
    nativeId: string,
    snapshot: NativeSnapshot,
    endpoint: BatchEndpoint,
    jsonToolName: (customId: string) => string | undefined,
    context: UpstreamCallContext,
  ): AsyncGenerator<NativeResultLine>;
}

/** A line the provider's dialect cannot express (found before anything is sent): the batch fails on that line, as on a malformed one. */
export class NativeLineError extends Error {
  constructor(
    /** 0-based index among the batch's lines. */
    readonly index: number,
    readonly rejection: GatewayError,
  ) {
    super(rejection.message);
  }
}
