/**
 * Optional OpenTelemetry tracing, free when off: until `startTracing()` loads the SDK (only when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set, or a test hands in an exporter), every function here is one
 * `undefined` check and no OpenTelemetry module is even required. Spans follow the GenAI semantic
 * conventions (`gen_ai.*`): one per request, one child per upstream attempt.
 */

/** A started span, opaque to callers (an OpenTelemetry Span when tracing is on). */
export interface TraceSpan {
  readonly __traceSpan: true;
}

export type SpanAttributes = Record<string, string | number | boolean | undefined>;

/** What the lazily loaded implementation provides (see otel-tracer.ts). */
export interface TracerImpl {
  startRequest(name: string, attributes: SpanAttributes, headers: Record<string, unknown>): TraceSpan;
  startAttempt(name: string, attributes: SpanAttributes): TraceSpan;
  runIn<A extends unknown[], R>(span: TraceSpan, fn: (...args: A) => R, ...args: A): R;
  end(span: TraceSpan, attributes: SpanAttributes, error?: boolean): void;
  inject(headers: Record<string, string>): void;
  shutdown(): Promise<void>;
}

/** How tracing starts: an OTLP endpoint (production), or an exporter (tests: InMemorySpanExporter). */
export interface TracingOptions {
  readonly otlpEndpoint?: string;
  readonly serviceName?: string;
  /** A SpanExporter from @opentelemetry/sdk-trace-base, exported synchronously (SimpleSpanProcessor). */
  readonly exporter?: unknown;
}

let impl: TracerImpl | undefined;

/** Loads the SDK and starts tracing when asked to; returns whether tracing is on. */
export function startTracing(options: TracingOptions): boolean {
  if (impl || (!options.otlpEndpoint && !options.exporter)) return impl !== undefined;
  // Lazy on purpose: with tracing off, the SDK's modules are never loaded.

  const { createOtelTracer } = require('./otel-tracer') as typeof import('./otel-tracer');
  impl = createOtelTracer(options);
  return true;
}

/** Flushes and stops tracing (shutdown, tests); a no-op when it is off. */
export async function stopTracing(): Promise<void> {
  const current = impl;
  impl = undefined;
  await current?.shutdown();
}

export function tracingOn(): boolean {
  return impl !== undefined;
}

/** The request's span (a root, or a child of the client's `traceparent` when it sent one). */
export function startRequestSpan(name: string, attributes: SpanAttributes, headers: Record<string, unknown>): TraceSpan | undefined {
  return impl?.startRequest(name, attributes, headers);
}

/** A span for one upstream attempt, the child of the span `fn` runs in (see runInSpan). */
export function startAttemptSpan(name: string, attributes: SpanAttributes): TraceSpan | undefined {
  return impl?.startAttempt(name, attributes);
}

/** Runs `fn` with `span` as the active span (its async continuations included). */
export function runInSpan<A extends unknown[], R>(span: TraceSpan | undefined, fn: (...args: A) => R, ...args: A): R {
  return impl && span ? impl.runIn(span, fn, ...args) : fn(...args);
}

export function endSpan(span: TraceSpan | undefined, attributes: SpanAttributes = {}, error = false): void {
  if (impl && span) impl.end(span, attributes, error);
}

/** Headers with the active span's W3C `traceparent` added (a copy: adapters may share their header objects). */
export function withTraceparent<H extends Record<string, unknown>>(headers: H): H {
  if (!impl) return headers;
  const carrier: Record<string, string> = {};
  impl.inject(carrier);
  return carrier.traceparent === undefined ? headers : { ...headers, ...carrier };
}
