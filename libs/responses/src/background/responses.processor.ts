import { Injectable, Logger } from '@nestjs/common';
import { type BackgroundResponseJobData, type JobContext, JobName, type JobProcessor, QueueName, type ScheduledJob, type StaleResponsesSweepJobData } from '@app/queue';
import { StaleResponseSweeper } from './stale-response-sweeper';
import { BackgroundResponseRun } from './background-response-run';

/** Scheduler id of the stale-run sweep; fixed so every replica upserts the same schedule. */
export const STALE_RESPONSES_SCHEDULE_ID = 'stale-responses-sweep';
const SWEEP_EVERY_MS = 30_000;
/** A running response refreshes its row every HEARTBEAT_MS (see BackgroundResponseRun); six missed beats mean its worker is gone. */
export const STALE_AFTER_MS = 60_000;

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
  ) {}

  async process(job: JobContext): Promise<unknown> {
    if (job.name === JobName.BackgroundResponse) {
      const { responseId } = (job.data ?? {}) as Partial<BackgroundResponseJobData>;
      if (typeof responseId !== 'string') throw new Error(`Invalid responseId in job ${job.id}`);
      return this.run.execute(responseId);
    }
    if (job.name === JobName.StaleResponsesSweep) {
      const { staleAfterMs } = (job.data ?? {}) as Partial<StaleResponsesSweepJobData>;
      const failed = await this.sweeper.sweep(typeof staleAfterMs === 'number' ? staleAfterMs : STALE_AFTER_MS);
      if (failed > 0) this.logger.warn(`Marked ${failed} stale background response(s) failed`);
      return { failed };
    }
    throw new Error(`Unknown job "${job.name}" on queue ${this.queue}`);
  }

  schedules(): ScheduledJob[] {
    const data: StaleResponsesSweepJobData = { staleAfterMs: STALE_AFTER_MS };
    return [{ id: STALE_RESPONSES_SCHEDULE_ID, name: JobName.StaleResponsesSweep, everyMs: SWEEP_EVERY_MS, data }];
  }
}
