import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import type Redis from 'ioredis';
import { KeyCache } from './key-cache';
import { KEY_INVALIDATION_BUS, type KeyInvalidationBus } from './key-invalidation';
import { KeysService } from './keys.service';
import { MemoryKeyInvalidationBus } from './memory-key-invalidation.bus';
import { RedisKeyInvalidationBus } from './redis-key-invalidation.bus';

const CONNECT_TIMEOUT_MS = 2_000;
const COMMAND_TIMEOUT_MS = 1_000;

function redisClient(url: string, name: string, subscriber: boolean): Redis {
  // Required on first use, not imported: an embedded gateway (no REDIS_URL) never loads ioredis.
  const { default: IORedis } = require('ioredis') as typeof import('ioredis');
  const client = new IORedis(url, {
    connectTimeout: CONNECT_TIMEOUT_MS,
    // The publisher fails fast (an admin call must not hang on a dead Redis); the subscriber
    // queues its SUBSCRIBE until it is connected, and ioredis resubscribes after each reconnect.
    ...(subscriber ? {} : { commandTimeout: COMMAND_TIMEOUT_MS, enableOfflineQueue: false, maxRetriesPerRequest: 1 }),
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    connectionName: name,
  });
  // Connection errors are the subscriber's 'ready' → resync story; without a listener ioredis reports them as unhandled.
  client.on('error', () => undefined);
  return client;
}

function createBus(config: AppConfig): KeyInvalidationBus {
  if (!config.redisUrl) return new MemoryKeyInvalidationBus();
  return new RedisKeyInvalidationBus(redisClient(config.redisUrl, 'switchyard-keys-pub', false), redisClient(config.redisUrl, 'switchyard-keys-sub', true), config.cache.keyPrefix);
}

/**
 * Managed API keys: the KeysService the admin API calls and the KeyCache the authenticator reads,
 * with the invalidation bus that keeps every replica's cache current (Redis pub/sub when REDIS_URL
 * is set, in-process otherwise). Needs the global StorageModule and ConfigModule.
 */
@Global()
@Module({})
export class KeysModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: KeysModule,
      providers: [{ provide: KEY_INVALIDATION_BUS, useFactory: () => createBus(config) }, KeyCache, KeysService],
      exports: [KeyCache, KeysService],
    };
  }
}
