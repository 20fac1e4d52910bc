import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { type JobContext, JobName, type JobProcessor, QueueName, type ScheduledJob, type UsageRetentionJobData } from '@app/queue';
import { AuditRepository } from '../audit/audit.repository';
import { UsageRepository } from './usage.repository';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Scheduler id of the hourly retention job; fixed so every replica upserts the same schedule. */
export const USAGE_RETENTION_SCHEDULE_ID = 'usage-retention-hourly';
/** Scheduler id of the hourly audit retention job (AUDIT_RETENTION_DAYS). */
export const AUDIT_RETENTION_SCHEDULE_ID = 'audit-retention-hourly';

/** Result of one retention run, kept with the finished job for inspection. */
export interface UsageRetentionResult {
  readonly deleted: number;
  /** ISO time; records created before it were deleted. Absent when retention is off. */
  readonly cutoff?: string;
}

/**
 * Maintenance-queue processor that deletes usage records older than USAGE_RETENTION_DAYS and
 * audit entries older than AUDIT_RETENTION_DAYS, hourly (a queue has one processor class, so
 * every per-request table's retention runs here). Idempotent: a repeated run finds nothing left
 * to delete. The usage rollups (hourly, and the daily key grain) are kept: they are what analytics read
 * after the raw rows go, and they grow by the hour or day, not by the request.
 */
@Injectable()
export class UsageRetentionProcessor implements JobProcessor {
  readonly queue = QueueName.Maintenance;
  private readonly logger = new Logger(UsageRetentionProcessor.name);

  constructor(
    @Inject(UsageRepository) private readonly repository: Pick<UsageRepository, 'deleteOlderThan'>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    // Optional only so a processor for usage alone can be built in a unit test.
    @Optional() @Inject(AuditRepository) private readonly audit?: Pick<AuditRepository, 'deleteOlderThan'>,
  ) {}

  /** Runs one job of the maintenance queue; throws for job names this processor does not know. */
  async process(job: JobContext): Promise<UsageRetentionResult> {
    const table = this.tableOf(job.name);
    if (!table) throw new Error(`Unknown job "${job.name}" on queue ${this.queue}`);
    const retentionDays = (job.data as Partial<UsageRetentionJobData> | null)?.retentionDays;
    if (typeof retentionDays !== 'number' || !Number.isInteger(retentionDays) || retentionDays < 0) {
      throw new Error(`Invalid retentionDays ${String(retentionDays)} in job ${job.id}`);
    }
    // 0 means keep forever; a job scheduled before the setting changed must not wipe the table.
    if (retentionDays === 0) return { deleted: 0 };
    const cutoff = new Date(Date.now() - retentionDays * DAY_MS);
    const deleted = await table.repository.deleteOlderThan(cutoff);
    if (deleted > 0) this.logger.log(`Deleted ${deleted} ${table.noun} created before ${cutoff.toISOString()}`);
    return { deleted, cutoff: cutoff.toISOString() };
  }

  /** One hourly retention job per table, none for a table kept forever (its retention days 0). */
  schedules(): ScheduledJob[] {
    const jobs: ScheduledJob[] = [];
    const usage: UsageRetentionJobData = { retentionDays: this.config.usage.retentionDays };
    if (usage.retentionDays > 0) jobs.push({ id: USAGE_RETENTION_SCHEDULE_ID, name: JobName.UsageRetention, everyMs: HOUR_MS, data: usage });
    const audit = { retentionDays: this.config.audit.retentionDays };
    if (this.audit && audit.retentionDays > 0) jobs.push({ id: AUDIT_RETENTION_SCHEDULE_ID, name: JobName.AuditRetention, everyMs: HOUR_MS, data: audit });
    return jobs;
  }

  private tableOf(name: string): { repository: Pick<UsageRepository, 'deleteOlderThan'>; noun: string } | undefined {
    if (name === (JobName.UsageRetention as string)) return { repository: this.repository, noun: 'usage records' };
    if (name === (JobName.AuditRetention as string) && this.audit) return { repository: this.audit, noun: 'audit entries' };
    return undefined;
  }
}
