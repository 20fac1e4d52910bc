// Every key the response cache writes, in one place (the Redis store adds REDIS_KEY_PREFIX itself).

/** An entry, by its request hash. */
export const entryKey = (hash: string): string => `rcache:e:${hash}`;
/** The cross-replica single-flight lock of one request hash. */
export const lockKey = (hash: string): string => `rcache:l:${hash}`;
/** The set of entry hashes stored for one `provider/model` (DELETE /admin/cache?model=). */
export const modelIndexKey = (target: string): string => `rcache:i:${target}`;
/** The set of `provider/model` targets that have an index (DELETE /admin/cache). */
export const MODELS_KEY = 'rcache:models';
