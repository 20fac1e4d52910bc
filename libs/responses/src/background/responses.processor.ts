import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  type BackgroundResponseJobData,
  type JobContext,
  JobName,
  type JobProcessor,
  QueueName,
  type ResponsesRetentionJobData,
  type ScheduledJob,
  type StaleResponsesSweepJobData,
} from '@app/queue';
import { ResponsesRepository } from '@app/storage';
import { StaleResponseSweeper } from './stale-response-sweeper';
import { BackgroundResponseRun } from './background-response-run';

/** Scheduler id of the stale-run sweep; fixed so every replica upserts the same schedule. */
export const STALE_RESPONSES_SCHEDULE_ID = 'stale-responses-sweep';
const SWEEP_EVERY_MS = 30_000;
/**
 * How long a running response may go without a heartbeat (every HEARTBEAT_MS, see
 * BackgroundResponseRun) before the sweep fails it. It must outlast BullMQ's own recovery: a dead
 * worker's job is handed to another only after its lock expires (30 s) and a stalled-job check runs
 * (every 30 s), so at 60 s the sweep raced the takeover and failed jobs that were about to resume.
 */
export const STALE_AFTER_MS = 180_000;
/** Scheduler id of the hourly retention of stored responses. */
export const RESPONSES_RETENTION_SCHEDULE_ID = 'responses-retention-hourly';
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Responses-queue processor: runs background responses, and sweeps runs whose worker died (rows
 * left in_progress without a heartbeat, or queued jobs that were lost) into `failed`, so no
 * response stays in progress forever. Idempotent: a repeated job finds its response finished.
 */
@Injectable()
export class ResponsesProcessor implements JobProcessor {
  readonly queue = QueueName.Responses;
  private readonly logger = new Logger(ResponsesProcessor.name);

  constructor(
    private readonly run: BackgroundResponseRun,
    private readonly sweeper: StaleResponseSweeper,
    private readonly responses: ResponsesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async process(job: JobContext): Promise<unknown> {
    if (job.name === (JobName.BackgroundResponse as string)) {
      const { responseId } = (job.data ?? {}) as Partial<BackgroundResponseJobData>;
      if (typeof responseId !== 'string') throw new Error(`Invalid responseId in job ${job.id}`);
      return this.run.execute(responseId);
    }
    if (job.name === (JobName.StaleResponsesSweep as string)) {
      const { staleAfterMs } = (job.data ?? {}) as Partial<StaleResponsesSweepJobData>;
      const failed = await this.sweeper.sweep(typeof staleAfterMs === 'number' ? staleAfterMs : STALE_AFTER_MS);
      if (failed > 0) this.logger.warn(`Marked ${failed} stale background response(s) failed`);
      return { failed };
    }
    if (job.name === (JobName.ResponsesRetention as string)) return this.deleteExpired(job);
    throw new Error(`Unknown job "${job.name}" on queue ${this.queue}`);
  }

  schedules(): ScheduledJob[] {
    const sweep: StaleResponsesSweepJobData = { staleAfterMs: STALE_AFTER_MS };
    const schedules: ScheduledJob[] = [{ id: STALE_RESPONSES_SCHEDULE_ID, name: JobName.StaleResponsesSweep, everyMs: SWEEP_EVERY_MS, data: sweep }];
    const { retentionDays } = this.config.responses;
    if (retentionDays > 0) {
      const retention: ResponsesRetentionJobData = { retentionDays };
      schedules.push({ id: RESPONSES_RETENTION_SCHEDULE_ID, name: JobName.ResponsesRetention, everyMs: HOUR_MS, data: retention });
    }
    return schedules;
  }

  /** Deletes finished responses older than the job's retention; 0 days keeps everything. */
  private async deleteExpired(job: JobContext): Promise<{ deleted: number; cutoff?: string }> {
    const { retentionDays } = (job.data ?? {}) as Partial<ResponsesRetentionJobData>;
    if (typeof retentionDays !== 'number' || !Number.isInteger(retentionDays) || retentionDays < 0) {
      throw new Error(`Invalid retentionDays ${String(retentionDays)} in job ${job.id}`);
    }
    if (retentionDays === 0) return { deleted: 0 };
    const cutoff = new Date(Date.now() - retentionDays * DAY_MS);
    const deleted = await this.responses.deleteOlderThan(cutoff);
    if (deleted > 0) this.logger.log(`Deleted ${deleted} stored responses created before ${cutoff.toISOString()}`);
    return { deleted, cutoff: cutoff.toISOString() };
  }
}
