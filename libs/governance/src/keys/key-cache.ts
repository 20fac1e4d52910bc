import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { AuthKeysRepository, type StoredAuthKey } from '@app/storage';
import { KeyDigester } from './key-digest';
import { KeyIndex, type KeyLookup } from './key-index';
import { KEY_INVALIDATION_BUS, type KeyInvalidationBus } from './key-invalidation';

/** How often `last_used_at` of the keys used meanwhile is written (one UPDATE per flush). */
const LAST_USED_FLUSH_MS = 60_000;

/**
 * The managed keys as the hot path sees them: a KeyIndex loaded at boot, reloaded per key on an
 * invalidation message (every replica within milliseconds of a change) and in full every
 * KEY_CACHE_REFRESH_INTERVAL as a safety net for lost messages. Reloads run one after another, so
 * an older read can never overwrite a newer one. `find` is synchronous: no request waits on storage.
 */
@Injectable()
export class KeyCache implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(KeyCache.name);
  private readonly index = new KeyIndex();
  private readonly digester: KeyDigester;
  private readonly refreshIntervalMs: number;
  private reloads: Promise<void> = Promise.resolve();
  private used = new Set<string>();
  private timers: NodeJS.Timeout[] = [];

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly repository: AuthKeysRepository,
    @Inject(KEY_INVALIDATION_BUS) private readonly bus: KeyInvalidationBus,
  ) {
    this.digester = new KeyDigester(config.keys.hashSecret);
    this.refreshIntervalMs = config.keys.refreshIntervalMs;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe({ changed: (id) => void this.reloadKey(id), resync: () => void this.reloadAll() });
    await this.reloadAll();
    this.timers = [setInterval(() => void this.reloadAll(), this.refreshIntervalMs), setInterval(() => void this.flushLastUsed(), LAST_USED_FLUSH_MS)];
    for (const timer of this.timers) timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.flushLastUsed();
    await this.bus.close();
  }

  digest(value: string): string {
    return this.digester.digest(value);
  }

  /** The key a presented secret names, as of this replica's index. */
  find(value: string): KeyLookup {
    const lookup = this.index.lookup(this.digester.digest(value), Date.now());
    if (lookup.status === 'valid') this.used.add(lookup.key.id);
    return lookup;
  }

  /** Applies a key this replica just wrote, before any message comes back. */
  apply(key: StoredAuthKey): void {
    this.index.apply(key);
  }

  /** Reloads one key (after an invalidation message); queued behind earlier reloads. */
  reloadKey(id: string): Promise<void> {
    return this.enqueue(async () => {
      const key = await this.repository.find(id);
      if (key) this.index.apply(key);
      else this.index.remove(id);
    });
  }

  /** Reloads every active key. */
  reloadAll(): Promise<void> {
    return this.enqueue(async () => this.index.replaceAll(await this.repository.listActive()));
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.reloads.then(task).catch((error: unknown) => {
      // The index keeps what it had; the next message or refresh tries again.
      this.logger.warn({ msg: 'reloading managed keys failed; serving the previous index', error: (error as Error).message });
    });
    this.reloads = run;
    return run;
  }

  private async flushLastUsed(): Promise<void> {
    if (this.used.size === 0) return;
    const ids = [...this.used];
    this.used = new Set();
    await this.repository.touch(ids, new Date()).catch((error: unknown) => {
      this.logger.warn({ msg: 'recording when keys were last used failed', error: (error as Error).message });
    });
  }
}
