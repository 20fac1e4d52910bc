export * from './gateway-metrics';
export * from './foreground-traffic';
export * from './metric-labels';
export * from './metric-names';
export * from './observability.module';
export * from './structured-logger';
export * from './request-context';
export * from './tracing/tracing';
