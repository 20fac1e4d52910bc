import { Injectable } from '@nestjs/common';

/** How long after its last inference request the process still counts as serving traffic. */
const QUIET_MS = 250;

/**
 * Whether this process is serving inference traffic right now. Background work that shares the
 * process (emulated batch items in the embedded gateway) yields to it: see ProviderPacer. The
 * request pipeline reports each request's start and end; two counter updates, no timers.
 */
@Injectable()
export class ForegroundTraffic {
  private inFlight = 0;
  private lastEndedAt = -Infinity;

  started(): void {
    this.inFlight++;
  }

  ended(): void {
    this.inFlight--;
    this.lastEndedAt = performance.now();
  }

  /** True while a request is in flight, or one ended less than QUIET_MS ago. */
  get busy(): boolean {
    return this.inFlight > 0 || performance.now() - this.lastEndedAt < QUIET_MS;
  }
}
