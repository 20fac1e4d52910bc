import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { type JobContext, JobName, type JobProcessor, QueueName, type ScheduledJob, type UsageRetentionJobData } from '@app/queue';
import { UsageRepository } from './usage.repository';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Scheduler id of the hourly retention job; fixed so every replica upserts the same schedule. */
export const USAGE_RETENTION_SCHEDULE_ID = 'usage-retention-hourly';

/** Result of one retention run, kept with the finished job for inspection. */
export interface UsageRetentionResult {
  readonly deleted: number;
  /** ISO time; records created before it were deleted. Absent when retention is off. */
  readonly cutoff?: string;
}

/**
 * Maintenance-queue processor that deletes usage records older than USAGE_RETENTION_DAYS, hourly.
 * Idempotent: a repeated run finds nothing left to delete.
 */
@Injectable()
export class UsageRetentionProcessor implements JobProcessor {
  readonly queue = QueueName.Maintenance;
  private readonly logger = new Logger(UsageRetentionProcessor.name);

  constructor(
    @Inject(UsageRepository) private readonly repository: Pick<UsageRepository, 'deleteOlderThan'>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs one job of the maintenance queue; throws for job names this processor does not know. */
  async process(job: JobContext): Promise<UsageRetentionResult> {
    if (job.name !== (JobName.UsageRetention as string)) {
      throw new Error(`Unknown job "${job.name}" on queue ${this.queue}`);
    }
    const retentionDays = (job.data as Partial<UsageRetentionJobData> | null)?.retentionDays;
    if (typeof retentionDays !== 'number' || !Number.isInteger(retentionDays) || retentionDays < 0) {
      throw new Error(`Invalid retentionDays ${String(retentionDays)} in job ${job.id}`);
    }
    // 0 means keep forever; a job scheduled before the setting changed must not wipe the table.
    if (retentionDays === 0) return { deleted: 0 };
    const cutoff = new Date(Date.now() - retentionDays * DAY_MS);
    const deleted = await this.repository.deleteOlderThan(cutoff);
    if (deleted > 0) this.logger.log(`Deleted ${deleted} usage records created before ${cutoff.toISOString()}`);
    return { deleted, cutoff: cutoff.toISOString() };
  }

  /** One hourly retention job, or none when USAGE_RETENTION_DAYS is 0 (keep forever). */
  schedules(): ScheduledJob[] {
    const { retentionDays } = this.config.usage;
    if (retentionDays === 0) return [];
    const data: UsageRetentionJobData = { retentionDays };
    return [{ id: USAGE_RETENTION_SCHEDULE_ID, name: JobName.UsageRetention, everyMs: HOUR_MS, data }];
  }
}
