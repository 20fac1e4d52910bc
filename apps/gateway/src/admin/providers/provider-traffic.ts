import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { RequestEvents } from '../../pipeline/request-events';

const BUCKET_MS = 60_000;
/** Five one-minute buckets: the "last 5 minutes" of the status page. */
const BUCKETS = 5;

interface Bucket {
  minute: number;
  requests: number;
  errors: number;
}

/** Requests and errors of the last five minutes. */
export interface RecentTraffic {
  readonly requests: number;
  readonly errors: number;
}

/**
 * Per provider, a ring of five one-minute buckets fed by every finished request and each of its
 * failed-over attempts (the same events as the live stream): a fixed few numbers per provider, whatever the traffic. Counts
 * this replica's requests only; the rollups have the cluster's.
 */
@Injectable()
export class ProviderTraffic implements OnModuleDestroy {
  private readonly rings = new Map<string, Bucket[]>();
  private readonly unsubscribe: () => void;

  constructor(events: RequestEvents) {
    this.unsubscribe = events.subscribe((entry) => {
      // Every attempt before the last failed over: an error of the provider that was left.
      const attempts = entry.attempts ?? [];
      for (let index = 0; index < attempts.length - 1; index++) this.count(attempts[index].slice(0, attempts[index].indexOf('/')), true);
      if (entry.provider) this.count(entry.provider, entry.status >= 400 || entry.errorType !== null);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }

  count(provider: string, failed: boolean, now = Date.now()): void {
    const minute = Math.floor(now / BUCKET_MS);
    let ring = this.rings.get(provider);
    if (!ring) {
      ring = Array.from({ length: BUCKETS }, () => ({ minute: -1, requests: 0, errors: 0 }));
      this.rings.set(provider, ring);
    }
    const bucket = ring[minute % BUCKETS];
    if (bucket.minute !== minute) Object.assign(bucket, { minute, requests: 0, errors: 0 });
    bucket.requests += 1;
    if (failed) bucket.errors += 1;
  }

  recent(provider: string, now = Date.now()): RecentTraffic {
    const oldest = Math.floor(now / BUCKET_MS) - BUCKETS + 1;
    let requests = 0;
    let errors = 0;
    for (const bucket of this.rings.get(provider) ?? []) {
      if (bucket.minute < oldest) continue;
      requests += bucket.requests;
      errors += bucket.errors;
    }
    return { requests, errors };
  }
}
