export * from './app-config';
export * from './config-error';
export * from './config.module';
export { buildConfig, loadConfig } from './load-config';
export { KEYED_PROVIDER_TYPES } from './provider-discovery';
