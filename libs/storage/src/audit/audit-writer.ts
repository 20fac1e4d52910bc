import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayMetrics } from '@app/observability';
import { BatchWriter } from '../database/batch-writer';
import type { NewAuditEntry } from './new-audit-entry';
import { AuditRepository } from './audit.repository';

/**
 * Buffers audit entries off the request path and writes them in bulk, exactly as usage records
 * are written (see BatchWriter): USAGE_FLUSH_INTERVAL and USAGE_FLUSH_BATCH_SIZE, at most
 * AUDIT_BUFFER_LIMIT entries held; losses counted in `switchyard_audit_entries_dropped_total`.
 * `record()` never waits and never throws: any route (the realtime relay too) may call it.
 */
@Injectable()
export class AuditWriter extends BatchWriter<NewAuditEntry> {
  constructor(
    @Inject(AuditRepository) repository: Pick<AuditRepository, 'insertMany'>,
    @Inject(GatewayMetrics) metrics: Pick<GatewayMetrics, 'countAuditDropped' | 'countAuditWritten'>,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(
      {
        noun: 'audit entries',
        insertMany: (entries) => repository.insertMany(entries),
        requestIdOf: (entry) => entry.requestId,
        countDropped: (reason, count) => metrics.countAuditDropped(reason, count),
        countWritten: (count) => metrics.countAuditWritten(count),
      },
      () => ({ flushIntervalMs: config.usage.flushIntervalMs, flushBatchSize: config.usage.flushBatchSize, bufferLimit: config.audit.bufferLimit }),
      AuditWriter.name,
    );
  }
}
