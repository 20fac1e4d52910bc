import { Injectable, Logger } from '@nestjs/common';
import type { TokenUsage } from '@app/core';
import type { NewAuditEntry } from '@app/storage';

/** Told of every finished request, after its audit entry was handed to the writer. */
export type RequestEventListener = (entry: Readonly<NewAuditEntry>, usage: TokenUsage | undefined) => void;

/**
 * The in-process fan-out of finished requests: the live stream and the provider status rings
 * listen here, so the pipeline knows nothing of them. Listeners run synchronously on the
 * response's `close` and must stay cheap; one that throws is logged and the others still run.
 */
@Injectable()
export class RequestEvents {
  private readonly logger = new Logger(RequestEvents.name);
  private listeners: RequestEventListener[] = [];

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: RequestEventListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((candidate) => candidate !== listener);
    };
  }

  emit(entry: Readonly<NewAuditEntry>, usage: TokenUsage | undefined): void {
    for (const listener of this.listeners) {
      try {
        listener(entry, usage);
      } catch (error) {
        this.logger.error({ msg: 'request event listener failed', err: error });
      }
    }
  }
}
