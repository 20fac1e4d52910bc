import type { OutgoingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { ResolvedTarget, RoutePlan, UpstreamCallContext } from '@app/providers';

/** A whole answer: status, body, and any extra headers. */
export interface JsonResult {
  readonly kind: 'json';
  readonly status: number;
  readonly body: string | Buffer;
  readonly headers?: OutgoingHttpHeaders;
}

/**
 * An answer written chunk by chunk as its source yields (one write, so one flush, per chunk).
 * `sse` answers get the SSE headers. The source's return value, if any, is written with the end.
 * When the source throws, `onError` gives the dialect's error event to end with; undefined cuts
 * the connection instead (a JSON body whose 200 is already out must not look complete).
 */
export interface StreamResult {
  readonly kind: 'sse' | 'stream';
  readonly status: number;
  readonly headers?: OutgoingHttpHeaders;
  readonly chunks: AsyncIterator<string | Buffer, string | Buffer | void>;
  onError(error: unknown): string | undefined;
}

/** An upstream body relayed as it is (passthrough). */
export interface RawResult {
  readonly kind: 'raw';
  readonly status: number;
  readonly headers: OutgoingHttpHeaders;
  readonly body: Readable;
}

export type RouteResult = JsonResult | StreamResult | RawResult;

/**
 * A resolved request the pipeline still has to admit and execute: the plan is admitted by the
 * policies, then run by the FailoverRunner (`attempt` per target, through that provider's
 * UpstreamExecutor), and the value the serving target produced becomes the answer.
 */
export interface Execution<T = unknown> {
  readonly kind: 'execute';
  readonly plan: RoutePlan;
  /** Overall deadline of the upstream call (none for streams: they may run long). */
  readonly deadlineMs?: number;
  attempt(target: ResolvedTarget, context: UpstreamCallContext): Promise<T>;
  respond(value: T, target: ResolvedTarget): RouteResult | Promise<RouteResult>;
  /** Rewrites the final failure for the client (e.g. keeping a native upstream's status). */
  failed?(error: unknown, last: ResolvedTarget): unknown;
}

/**
 * Work a handler does itself (a named provider's passthrough, a queued background run, a local
 * count) that must still pass admission first: the pipeline admits, then calls `run`. The plan
 * names the model when there is one; without one, policies apply only what needs no model.
 */
export interface Admitted {
  readonly kind: 'admitted';
  readonly plan?: RoutePlan;
  run(): Promise<RouteResult> | RouteResult;
}

/** What a hot-route handler returns. */
export type RouteOutcome = RouteResult | Execution<unknown> | Admitted;

export function jsonResult(status: number, body: unknown, headers?: OutgoingHttpHeaders): JsonResult {
  return { kind: 'json', status, body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body), headers };
}
