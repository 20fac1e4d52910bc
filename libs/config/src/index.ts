export * from './app-config';
export * from './config-error';
export * from './config-file-error';
export * from './config.module';
export { buildConfig, loadConfig } from './load-config';
export * from './routing-config';
export * from './pricing-config';
export { parseRoutingConfig } from './routing-config-parser';
export * from './mock-directives';
