import { Injectable } from '@nestjs/common';
import { ResponseStore } from '../engine/response-store';
import { settleResponse } from '../translate/response-object';

/** Queued responses whose job never started within this long are considered lost (e.g. an embedded gateway restarted). */
export const QUEUED_LOST_AFTER_MS = 3_600_000;
const BATCH = 100;

/**
 * Fails background responses whose worker is gone: in_progress rows without a heartbeat for
 * `staleAfterMs`, and queued rows older than an hour. Conditional updates make it safe against a
 * worker that comes back (or a redelivered job) at the same moment.
 */
@Injectable()
export class StaleResponseSweeper {
  constructor(private readonly store: ResponseStore) {}

  async sweep(staleAfterMs: number): Promise<number> {
    const now = Date.now();
    const stuck = await this.store.findStale('in_progress', new Date(now - staleAfterMs), BATCH);
    const lost = await this.store.findStale('queued', new Date(now - QUEUED_LOST_AFTER_MS), BATCH);
    let failed = 0;
    for (const [ids, status, message] of [
      [stuck, 'in_progress', 'The worker running this response stopped before it finished.'],
      [lost, 'queued', 'The job of this background response was lost before it started.'],
    ] as const) {
      for (const id of ids) if (await this.failOne(id, status, message)) failed++;
    }
    return failed;
  }

  private async failOne(id: string, fromStatus: string, message: string): Promise<boolean> {
    const row = await this.store.find(id);
    if (!row || row.status !== fromStatus) return false;
    const body = settleResponse(row.body, { status: 'failed', output: [], error: { code: 'server_error', message } });
    return this.store.transition(id, body, [fromStatus]);
  }
}
