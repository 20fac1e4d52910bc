export * from './app-config';
export * from './config-error';
export * from './config.module';
export { buildConfig, loadConfig } from './load-config';
export { OPENAI_COMPATIBLE_TYPES } from './provider-discovery';
