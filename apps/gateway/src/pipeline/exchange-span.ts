import type { SpanAttributes } from '@app/observability';
import type { Exchange } from './exchange';

/**
 * The attributes of a request's span and of its served attempt, in the OpenTelemetry GenAI
 * semantic conventions (gen_ai.*) plus the HTTP ones. Called only when tracing is on.
 */
export function requestStartAttributes(route: string, exchange: Exchange): SpanAttributes {
  return { 'gen_ai.operation.name': operationOf(route), 'http.request.method': exchange.request.method, 'http.route': route, 'switchyard.request_id': exchange.requestId };
}

export function requestEndAttributes(exchange: Exchange, status: number): SpanAttributes {
  const model = exchange.body.model;
  return {
    'gen_ai.request.model': typeof model === 'string' ? model : undefined,
    'gen_ai.response.model': exchange.model,
    'gen_ai.provider.name': exchange.provider,
    'gen_ai.system': exchange.provider,
    'gen_ai.usage.input_tokens': exchange.usage?.inputTokens,
    'gen_ai.usage.output_tokens': exchange.usage?.outputTokens,
    'http.response.status_code': status,
    'error.type': exchange.errorType,
  };
}

/** The served attempt learns its usage only when the answer has ended (streams carry it last). */
export function attemptEndAttributes(exchange: Exchange): SpanAttributes {
  return {
    'gen_ai.usage.input_tokens': exchange.usage?.inputTokens,
    'gen_ai.usage.output_tokens': exchange.usage?.outputTokens,
    'http.response.status_code': typeof exchange.upstreamStatus === 'number' ? exchange.upstreamStatus : undefined,
    'error.type': exchange.errorType,
  };
}

function operationOf(route: string): string {
  if (route.includes('embeddings')) return 'embeddings';
  if (route.includes('count_tokens')) return 'count_tokens';
  return 'chat';
}
