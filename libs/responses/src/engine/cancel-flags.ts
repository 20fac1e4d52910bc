import { Inject, Injectable } from '@nestjs/common';
import { CACHE_STORE, type CacheStore } from '@app/cache';
import { CancelledError } from './cancelled.error';

const KEY_PREFIX = 'responses:cancel:';
/** A flag outlives any run it could concern (background runs are bounded by the stale sweep). */
const FLAG_TTL_MS = 24 * 3_600_000;
const POLL_MS = 250;

/**
 * Cancellation requests for background responses, in the shared cache so the replica that takes a
 * cancel and the worker that runs the response need not be the same process. The worker polls
 * its flag while the upstream call runs and aborts the call when it appears.
 */
@Injectable()
export class CancelFlags {
  constructor(@Inject(CACHE_STORE) private readonly cache: CacheStore) {}

  request(responseId: string): Promise<void> {
    return this.cache.set(KEY_PREFIX + responseId, '1', FLAG_TTL_MS);
  }

  async isRequested(responseId: string): Promise<boolean> {
    return (await this.cache.get(KEY_PREFIX + responseId)) !== undefined;
  }

  /** Aborts `controller` once a cancel is requested; call the returned function to stop watching. */
  watch(responseId: string, controller: AbortController, pollMs = POLL_MS): () => void {
    let stopped = false;
    const timer = setInterval(() => {
      this.isRequested(responseId).then(
        (requested) => {
          if (requested && !stopped) controller.abort(new CancelledError(responseId));
        },
        () => undefined,
      );
    }, pollMs);
    timer.unref();
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }
}
