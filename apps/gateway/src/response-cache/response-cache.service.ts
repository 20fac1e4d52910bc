import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CACHE_STORE, type CacheStore } from '@app/cache';
import { APP_CONFIG, type AppConfig, type ResponseCacheConfig } from '@app/config';
import type { RoutePlan } from '@app/providers';
import type { Exchange } from '../pipeline/exchange';
import { jsonResult, type RouteResult, type StreamResult } from '../pipeline/route-result';
import { type CacheEntry, decodeEntry, encodeEntry, sseEvents } from './cache-entry';
import { type CacheLookup, decideCaching } from './cache-decision';
import { entryKey, lockKey, MODELS_KEY, modelIndexKey } from './cache-keys';
import { chunksToCompletion, completionToChunks, streamCompleted } from './chat-reshape';
import { recordChunks } from './entry-recorder';

/** The cache's verdict on one request, as the response header and the audit entry say it. */
export type CacheVerdict = 'HIT' | 'MISS' | 'BYPASS';

const CACHE_HEADER = 'x-switchyard-cache';
const LOCK_POLL_MS = 50;

/** One request's in-flight upstream call that identical requests on this replica wait for (resolving twice is a no-op). */
interface Flight {
  readonly promise: Promise<CacheEntry | undefined>;
  resolve(entry: CacheEntry | undefined): void;
}

/**
 * The exact-match response cache, a pipeline stage between admission and execute (see
 * Pipeline.execute; it is not entered at all when CACHE_ENABLED is off). A request the cache
 * covers is answered from its entry (HIT), or runs upstream while its answer is recorded and then
 * stored (MISS), or runs untouched (BYPASS). Identical misses are coalesced: on one replica they
 * wait for the first one's answer; across replicas (Redis) a short lock makes the others poll the
 * store briefly before they give up and call upstream themselves.
 */
@Injectable()
export class ResponseCache {
  private readonly logger = new Logger(ResponseCache.name);
  private readonly settings: ResponseCacheConfig;
  private readonly flights = new Map<string, Flight>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CACHE_STORE) private readonly store: CacheStore,
  ) {
    this.settings = config.cache.responses;
  }

  get enabled(): boolean {
    return this.settings.enabled;
  }

  /** Answers an admitted execution through the cache; `run` is its upstream path (failover included). */
  async serve(exchange: Exchange, plan: RoutePlan, run: () => Promise<RouteResult>): Promise<RouteResult> {
    const request = { route: exchange.route, body: exchange.body, header: exchange.request.headers[CACHE_HEADER], keyId: exchange.caller.keyId, plan };
    const decision = decideCaching(request, this.settings, this.config.routing.cache);
    if (decision === undefined) return run();
    if (decision.verdict === 'bypass') {
      mark(exchange, 'BYPASS');
      return run();
    }
    if (decision.directives.skipLookup) return this.miss(exchange, decision, run);
    return this.lookup(exchange, decision, run, true);
  }

  /**
   * Waits on this replica's flight for the same request, or leads one: looks the entry up and, on
   * a miss, calls upstream for everyone waiting. When a leader has no answer to share (it failed,
   * or its answer is not stored), one of its waiters leads a second flight and the others wait on
   * it (`mayWaitAgain`), rather than all calling upstream at once; after a second such flight each
   * calls upstream on its own.
   */
  private async lookup(exchange: Exchange, decision: CacheLookup, run: () => Promise<RouteResult>, mayWaitAgain: boolean): Promise<RouteResult> {
    const pending = this.flights.get(decision.key);
    if (pending) {
      const entry = await pending.promise;
      if (entry) return this.answer(exchange, decision, entry) ?? this.miss(exchange, decision, run);
      return mayWaitAgain ? this.lookup(exchange, decision, run, false) : this.miss(exchange, decision, run);
    }
    const flight = this.startFlight(decision.key);
    const found = await this.find(decision.key);
    if (found.entry) {
      flight.resolve(found.entry);
      this.forget(decision.key, flight);
      const hit = this.answer(exchange, decision, found.entry);
      if (hit) return hit;
    }
    return this.miss(exchange, decision, run, flight, found.locked);
  }

  /**
   * The stored entry, if any. On Redis, a miss takes the request's lock; when another replica
   * holds it, that replica is calling upstream for the same request, so this one polls the store
   * for a while (CACHE_LOCK_WAIT) before calling upstream itself. A store that fails is a miss.
   */
  private async find(hash: string): Promise<{ entry?: CacheEntry; locked?: boolean }> {
    try {
      const entry = await decodeEntry(await this.store.get(entryKey(hash)));
      if (entry || this.store.kind !== 'redis') return { entry };
      if (await this.store.setIfAbsent(lockKey(hash), '1', this.settings.lockWaitMs)) return { locked: true };
      const deadline = Date.now() + this.settings.lockWaitMs;
      while (Date.now() < deadline) {
        await sleep(LOCK_POLL_MS);
        const polled = await decodeEntry(await this.store.get(entryKey(hash)));
        if (polled) return { entry: polled };
      }
    } catch (error) {
      this.logger.warn(`Response cache lookup failed (${(error as Error).message}); serving without it`);
    }
    return {};
  }

  /** Runs upstream and records the answer; a complete, successful one is stored and handed to the waiting requests. */
  private async miss(exchange: Exchange, lookup: CacheLookup, run: () => Promise<RouteResult>, flight?: Flight, locked = false): Promise<RouteResult> {
    mark(exchange, 'MISS');
    const finish = (entry: CacheEntry | undefined): void => {
      // Hands the answer to every request waiting on the flight.
      flight?.resolve(entry);
      if (entry && !lookup.directives.noStore) return this.save(lookup, entry, locked, flight);
      if (flight) this.forget(lookup.key, flight);
      if (locked) this.unlock(lookup.key);
    };
    let result: RouteResult;
    try {
      result = await run();
    } catch (error) {
      finish(undefined);
      throw error;
    }
    if (result.status < 200 || result.status >= 300 || result.kind === 'raw') {
      finish(undefined);
      return result;
    }
    if (result.kind === 'json') {
      finish(this.entryOf(exchange, 'json', result.status, typeof result.body === 'string' ? result.body : result.body.toString('utf8'), contentTypeOf(result.headers)));
      return result;
    }
    const chunks = recordChunks(result.chunks, this.settings.maxEntryBytes, (text) => finish(text === undefined ? undefined : this.completedEntry(exchange, lookup, result, text)));
    return { ...result, chunks };
  }

  private completedEntry(exchange: Exchange, lookup: CacheLookup, result: StreamResult, text: string): CacheEntry | undefined {
    if (exchange.errorType !== undefined) return undefined;
    // A `stream` result is a whole JSON body relayed chunk by chunk (native Messages without `stream`).
    if (result.kind === 'stream') return this.entryOf(exchange, 'json', result.status, text, contentTypeOf(result.headers));
    return streamCompleted(lookup.shape, text) ? this.entryOf(exchange, 'sse', result.status, text) : undefined;
  }

  private entryOf(exchange: Exchange, kind: CacheEntry['kind'], status: number, body: string, contentType?: string): CacheEntry | undefined {
    if (!exchange.provider || !exchange.model) return undefined;
    return { kind, status, body, contentType, provider: exchange.provider, model: exchange.model, usage: exchange.usage, createdAt: Date.now() };
  }

  /** The entry as this request's answer (its shape may differ: chat converts both ways); undefined when it cannot be. */
  private answer(exchange: Exchange, lookup: CacheLookup, entry: CacheEntry): RouteResult | undefined {
    const result = shaped(exchange, lookup, entry);
    if (!result) return undefined;
    mark(exchange, 'HIT');
    exchange.response.setHeader('age', String(Math.max(0, Math.floor((Date.now() - entry.createdAt) / 1000))));
    exchange.response.setHeader('x-switchyard-provider', entry.provider);
    exchange.response.setHeader('x-switchyard-model', entry.model);
    exchange.provider = entry.provider;
    exchange.model = entry.model;
    exchange.usage = entry.usage;
    return result;
  }

  private startFlight(hash: string): Flight {
    let resolve!: (entry: CacheEntry | undefined) => void;
    const promise = new Promise<CacheEntry | undefined>((done) => (resolve = done));
    const flight: Flight = { promise, resolve };
    this.flights.set(hash, flight);
    return flight;
  }

  /** Ends the flight for newcomers: only once its entry is in the store, so none falls in the gap between. */
  private forget(hash: string, flight: Flight): void {
    if (this.flights.get(hash) === flight) this.flights.delete(hash);
  }

  /** Stores the entry and indexes it under its model, after the client has its answer (never awaited by the request). */
  private save(lookup: CacheLookup, entry: CacheEntry, locked: boolean, flight: Flight | undefined): void {
    const { compressThresholdBytes, maxEntryBytes } = this.settings;
    const writing = async (): Promise<void> => {
      const value = await encodeEntry(entry, compressThresholdBytes, maxEntryBytes);
      if (value === undefined) return;
      await this.store.set(entryKey(lookup.key), value, lookup.ttlMs);
      await this.store.addToSet(modelIndexKey(lookup.target), lookup.key);
      await this.store.addToSet(MODELS_KEY, lookup.target);
    };
    writing()
      .catch((error: unknown) => this.logger.warn(`Response cache write failed (${(error as Error).message})`))
      .finally(() => {
        if (flight) this.forget(lookup.key, flight);
        if (locked) this.unlock(lookup.key);
      });
  }

  private unlock(hash: string): void {
    this.store.delete(lockKey(hash)).catch(() => undefined);
  }
}

function mark(exchange: Exchange, verdict: CacheVerdict): void {
  exchange.cache = verdict;
  exchange.response.setHeader(CACHE_HEADER, verdict);
}

function shaped(exchange: Exchange, lookup: CacheLookup, entry: CacheEntry): RouteResult | undefined {
  if (entry.kind === 'json' && !exchange.stream) return jsonResult(entry.status, entry.body, { 'content-type': entry.contentType ?? 'application/json' });
  if (entry.kind === 'sse' && exchange.stream) return replay(entry.status, entry.body);
  if (lookup.shape !== 'chat') return undefined;
  if (entry.kind === 'sse') {
    const completion = chunksToCompletion(entry.body);
    return completion === undefined ? undefined : jsonResult(entry.status, completion);
  }
  return replay(entry.status, completionToChunks(entry.body, wantsUsage(exchange.body)));
}

function replay(status: number, sse: string): StreamResult {
  return { kind: 'sse', status, chunks: events(sseEvents(sse)), onError: () => undefined };
}

/** The stored events one by one (one write, so one flush, each), as a live relay would write them. */
function events(list: readonly string[]): AsyncIterator<string, void> {
  let index = 0;
  const done = (): IteratorResult<string, void> => ({ done: true, value: undefined });
  return {
    next: () => Promise.resolve(index < list.length ? { done: false, value: list[index++] } : done()),
    return: () => {
      index = list.length;
      return Promise.resolve(done());
    },
  };
}

function wantsUsage(body: Record<string, unknown>): boolean {
  const options = body.stream_options as { include_usage?: unknown } | null | undefined;
  return options?.include_usage === true;
}

function contentTypeOf(headers: Record<string, unknown> | undefined): string | undefined {
  const value = headers?.['content-type'];
  return typeof value === 'string' ? value : undefined;
}
