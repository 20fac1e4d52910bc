export * from './gateway-error';
export * from './openai-envelope';
export * from './ids';
export * from './sse-parser';
export * from './model-selector';
export * from './token-usage';
export * from './token-estimate';
export * from './anthropic-envelope';
