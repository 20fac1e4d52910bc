import type { Logger } from '@nestjs/common';

interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

const LOG_INTERVAL_MS = 30_000;

/**
 * Logs a BullMQ object's errors at most once per interval: while Redis is down every reconnect
 * attempt reports one. Listening also stops BullMQ from printing them with console.error.
 */
export function logErrorsThrottled(emitter: ErrorEmitter, logger: Logger, what: string): void {
  let lastLoggedAt = 0;
  let suppressed = 0;
  emitter.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastLoggedAt < LOG_INTERVAL_MS) {
      suppressed += 1;
      return;
    }
    const more = suppressed > 0 ? ` (${suppressed} similar errors since the last report)` : '';
    logger.warn(`${what}: ${error.message}${more}`);
    lastLoggedAt = now;
    suppressed = 0;
  });
}
