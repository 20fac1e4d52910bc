export * from './app-config';
export * from './config-error';
export * from './config-file-error';
export * from './config.module';
export { buildConfig, loadConfig } from './load-config';
export { KEYED_PROVIDER_TYPES } from './provider-discovery';
export * from './routing-config';
export { parseRoutingConfig } from './routing-config-parser';
export * from './mock-directives';
