import { makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { METRIC } from './metric-names';

// Latency buckets from 1 ms to 2 min: gateway overhead lives at the low end, LLM calls at the top.
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export const METRIC_PROVIDERS = [
  makeCounterProvider({ name: METRIC.httpRequests, help: 'HTTP requests served, by route template, method and status.', labelNames: ['route', 'method', 'status'] }),
  makeHistogramProvider({
    name: METRIC.httpDuration,
    help: 'HTTP request duration until the response finished or the client went away.',
    labelNames: ['route', 'method', 'status'],
    buckets: LATENCY_BUCKETS,
  }),
  makeCounterProvider({ name: METRIC.upstreamRequests, help: 'Upstream provider calls, by provider, model and status.', labelNames: ['provider', 'model', 'status'] }),
  makeHistogramProvider({
    name: METRIC.upstreamDuration,
    help: 'Upstream call duration, to the end of the body or stream.',
    labelNames: ['provider', 'model', 'status'],
    buckets: LATENCY_BUCKETS,
  }),
  makeCounterProvider({ name: METRIC.tokens, help: 'Tokens processed, by provider, model and kind.', labelNames: ['provider', 'model', 'kind'] }),
  makeHistogramProvider({
    name: METRIC.timeToFirstToken,
    help: 'Time from request start to the first streamed event from the provider.',
    labelNames: ['provider', 'model'],
    buckets: LATENCY_BUCKETS,
  }),
  makeCounterProvider({ name: METRIC.upstreamRetries, help: 'Upstream retries, by provider and reason.', labelNames: ['provider', 'reason'] }),
  makeGaugeProvider({ name: METRIC.circuitBreakerState, help: 'Circuit breaker state per provider: 0 closed, 1 half-open, 2 open.', labelNames: ['provider'] }),
  makeCounterProvider({ name: METRIC.usageRecordsDropped, help: 'Usage records dropped because the write buffer was full or the database failed.', labelNames: ['reason'] }),
  makeCounterProvider({ name: METRIC.usageRecordsWritten, help: 'Usage records written to the database.' }),
  makeCounterProvider({ name: METRIC.auditEntriesDropped, help: 'Audit entries dropped because the write buffer was full or the database failed.', labelNames: ['reason'] }),
  makeCounterProvider({ name: METRIC.auditEntriesWritten, help: 'Audit entries written to the database.' }),
  makeCounterProvider({
    name: METRIC.failovers,
    help: 'Requests moved on to the next target of their plan, by provider left, provider tried next and reason.',
    labelNames: ['from', 'to', 'reason'],
  }),
  makeCounterProvider({
    name: METRIC.costUnknown,
    help: 'Usage records stored without a cost because no price is known for their provider and model.',
    labelNames: ['provider', 'model'],
  }),
  makeCounterProvider({ name: METRIC.cacheRequests, help: 'Requests the response cache judged, by result (HIT, MISS, BYPASS).', labelNames: ['result'] }),
  makeCounterProvider({
    name: METRIC.cacheSavedTokens,
    help: 'Tokens answered from the response cache instead of a provider, by kind (input, output).',
    labelNames: ['kind'],
  }),
];
