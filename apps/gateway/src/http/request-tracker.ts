import { Injectable } from '@nestjs/common';

/** Counts requests in flight (streams included) so shutdown can wait for them to finish. */
@Injectable()
export class RequestTracker {
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  get count(): number {
    return this.inFlight;
  }

  begin(): void {
    this.inFlight++;
  }

  end(): void {
    this.inFlight--;
    if (this.inFlight > 0 || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /**
   * Resolves once no request is in flight. `end()` runs in the response's `close` listeners, so
   * by then the other `close` listeners of the last response (the usage recorder) have run too.
   */
  idle(): Promise<void> {
    if (this.inFlight <= 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
