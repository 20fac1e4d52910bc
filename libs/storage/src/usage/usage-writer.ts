import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayMetrics } from '@app/observability';
import { BatchWriter } from '../database/batch-writer';
import type { NewUsageRecord } from './new-usage-record';
import { UsageRepository } from './usage.repository';

export { FINAL_FLUSH_DEADLINE_MS } from '../database/batch-writer';

/**
 * Buffers usage records off the request path and writes them in bulk (see BatchWriter): settings
 * from USAGE_FLUSH_INTERVAL, USAGE_FLUSH_BATCH_SIZE and USAGE_BUFFER_LIMIT; losses counted in
 * `switchyard_usage_records_dropped_total`.
 */
@Injectable()
export class UsageWriter extends BatchWriter<NewUsageRecord> {
  constructor(
    @Inject(UsageRepository) repository: Pick<UsageRepository, 'insertMany'>,
    @Inject(GatewayMetrics) metrics: Pick<GatewayMetrics, 'countUsageDropped' | 'countUsageWritten'>,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(
      {
        noun: 'usage records',
        insertMany: (records) => repository.insertMany(records),
        requestIdOf: (record) => record.requestId,
        countDropped: (reason, count) => metrics.countUsageDropped(reason, count),
        countWritten: (count) => metrics.countUsageWritten(count),
      },
      () => config.usage,
      UsageWriter.name,
    );
  }
}
