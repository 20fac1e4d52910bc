import { context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { SpanAttributes, TraceSpan, TracerImpl, TracingOptions } from './tracing';

/**
 * The OpenTelemetry side of tracing.ts, required only when tracing is on. Registers a
 * NodeTracerProvider (AsyncLocalStorage context, W3C trace-context propagation) exporting over
 * OTLP/HTTP in batches, or to the given exporter span by span (tests).
 * @public (used through tracing.ts's lazy require(), which knip cannot follow)
 */
export function createOtelTracer(options: TracingOptions): TracerImpl {
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter as SpanExporter)
    : new BatchSpanProcessor(
        new (require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter({
          url: tracesUrl(options.otlpEndpoint!),
        }),
      );
  const provider = new NodeTracerProvider({ resource: resourceFromAttributes({ 'service.name': options.serviceName ?? 'switchyard-gateway' }), spanProcessors: [processor] });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  const tracer = trace.getTracer('switchyard');
  const clean = (attributes: SpanAttributes) =>
    Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined)) as Record<string, string | number | boolean>;
  return {
    startRequest: (name, attributes, headers) =>
      tracer.startSpan(name, { kind: SpanKind.SERVER, attributes: clean(attributes) }, propagation.extract(context.active(), headers)) as unknown as TraceSpan,
    startAttempt: (name, attributes) => tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes: clean(attributes) }, context.active()) as unknown as TraceSpan,
    runIn: (span, fn, ...args) => context.with(trace.setSpan(context.active(), span as unknown as Span), fn, undefined, ...args),
    end(span, attributes, error) {
      const otel = span as unknown as Span;
      otel.setAttributes(clean(attributes));
      if (error) otel.setStatus({ code: SpanStatusCode.ERROR });
      otel.end();
    },
    inject: (headers) => propagation.inject(context.active(), headers),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/** OTEL_EXPORTER_OTLP_ENDPOINT is the base URL; traces go to `<it>/v1/traces`, as the spec says. */
function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}
