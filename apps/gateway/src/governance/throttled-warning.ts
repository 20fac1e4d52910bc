import type { Logger } from '@nestjs/common';

const INTERVAL_MS = 60_000;

/** Logs a recurring condition at most once a minute (a Redis outage must not flood the logs). */
export class ThrottledWarning {
  private last = -Infinity;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  warn(message: string): void {
    const now = this.now();
    if (now - this.last < INTERVAL_MS) return;
    this.last = now;
    this.logger.warn(message);
  }
}
