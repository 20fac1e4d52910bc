export * from './spend-pricing';
export * from './key-limits';
export { KeysModule } from './keys/keys.module';
export { KeyCache } from './keys/key-cache';
export { KeysService, type NewManagedKey } from './keys/keys.service';
export type { KeyLookup } from './keys/key-index';
export { ModelAllowlist } from './keys/model-allowlist';
export { isWithinUserPath, parseUserPath } from './keys/user-path';
export { MAX_USER_PATH_LENGTH } from './keys/user-path';
