import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  type BatchesRetentionJobData,
  type BatchesSweepJobData,
  type BatchRunJobData,
  type JobContext,
  JobName,
  type JobProcessor,
  QueueName,
  type ScheduledJob,
} from '@app/queue';
import { BatchesRepository } from '@app/storage';
import { BatchResumer } from './batch-resumer';
import { EmulatedBatchRun } from './emulated/emulated-batch-run';
import { NativeBatchSync } from './native/native-batch-sync';

export const BATCHES_SWEEP_SCHEDULE_ID = 'batches-sweep';
export const BATCHES_RETENTION_SCHEDULE_ID = 'batches-retention-hourly';
const SWEEP_EVERY_MS = 30_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Batches-queue processor: runs emulated batches, resumes those whose run was lost (an embedded
 * gateway restarted, a job vanished), refreshes native batches nobody retrieved, and deletes finished batches past their retention.
 * Idempotent: a repeated run finds its batch finished or superseded.
 */
@Injectable()
export class BatchesProcessor implements JobProcessor {
  readonly queue = QueueName.Batches;
  private readonly logger = new Logger(BatchesProcessor.name);

  constructor(
    private readonly run: EmulatedBatchRun,
    private readonly resumer: BatchResumer,
    private readonly natives: NativeBatchSync,
    private readonly batches: BatchesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async process(job: JobContext): Promise<unknown> {
    if (job.name === (JobName.BatchRun as string)) {
      const { batchId, generation } = (job.data ?? {}) as Partial<BatchRunJobData>;
      if (typeof batchId !== 'string' || typeof generation !== 'number') throw new Error(`Invalid batch run payload in job ${job.id}`);
      return this.run.execute(batchId, generation);
    }
    if (job.name === (JobName.BatchesSweep as string)) {
      const { staleAfterMs } = (job.data ?? {}) as Partial<BatchesSweepJobData>;
      const resumed = await this.resumer.resumeStale(typeof staleAfterMs === 'number' ? staleAfterMs : this.staleAfterMs());
      if (resumed > 0) this.logger.warn(`Resumed ${resumed} emulated batch(es) whose run had stopped`);
      return { resumed, refreshed: await this.natives.refreshDue() };
    }
    if (job.name === (JobName.BatchesRetention as string)) {
      const { retentionDays } = (job.data ?? {}) as Partial<BatchesRetentionJobData>;
      if (typeof retentionDays !== 'number' || retentionDays <= 0) return { deleted: 0 };
      return { deleted: await this.batches.deleteOlderThan(new Date(Date.now() - retentionDays * DAY_MS)) };
    }
    throw new Error(`Unknown job "${job.name}" on queue ${this.queue}`);
  }

  schedules(): ScheduledJob[] {
    const sweep: BatchesSweepJobData = { staleAfterMs: this.staleAfterMs() };
    const schedules: ScheduledJob[] = [{ id: BATCHES_SWEEP_SCHEDULE_ID, name: JobName.BatchesSweep, everyMs: SWEEP_EVERY_MS, data: sweep }];
    const { retentionDays } = this.config.batches;
    if (retentionDays > 0) {
      const retention: BatchesRetentionJobData = { retentionDays };
      schedules.push({ id: BATCHES_RETENTION_SCHEDULE_ID, name: JobName.BatchesRetention, everyMs: HOUR_MS, data: retention });
    }
    return schedules;
  }

  /** A live run touches its batch at least every chunk or idle poll, far more often than two leases. */
  private staleAfterMs(): number {
    return this.config.batches.leaseMs * 2;
  }
}
