import { Injectable, Logger } from '@nestjs/common';
import { type FilesRetentionJobData, type JobContext, JobName, type JobProcessor, QueueName, type ScheduledJob } from '@app/queue';
import { FilesRepository } from '@app/storage';
import { STALE_UPLOAD_MS } from './file-store';

/** Scheduler id of the retention job; fixed so every replica upserts the same schedule. */
export const FILES_RETENTION_SCHEDULE_ID = 'files-retention';
// Expired files are already invisible (FileStore checks expires_at), so this only frees space.
const EVERY_MS = 15 * 60_000;

/**
 * Files-queue processor that deletes expired files with their chunks, and uploads left
 * incomplete by a replica that died mid-way. Idempotent: a repeated run finds nothing more.
 */
@Injectable()
export class FilesRetentionProcessor implements JobProcessor {
  readonly queue = QueueName.Files;
  private readonly logger = new Logger(FilesRetentionProcessor.name);

  constructor(private readonly repository: FilesRepository) {}

  async process(job: JobContext): Promise<{ deleted: number }> {
    if (job.name !== (JobName.FilesRetention as string)) throw new Error(`Unknown job "${job.name}" on queue ${this.queue}`);
    const { staleUploadMs } = (job.data ?? {}) as Partial<FilesRetentionJobData>;
    if (typeof staleUploadMs !== 'number' || !(staleUploadMs > 0)) throw new Error(`Invalid staleUploadMs ${String(staleUploadMs)} in job ${job.id}`);
    const now = new Date();
    const deleted = await this.repository.deleteExpired(now, new Date(now.getTime() - staleUploadMs));
    if (deleted > 0) this.logger.log(`Deleted ${deleted} expired or abandoned files`);
    return { deleted };
  }

  schedules(): ScheduledJob[] {
    const data: FilesRetentionJobData = { staleUploadMs: STALE_UPLOAD_MS };
    return [{ id: FILES_RETENTION_SCHEDULE_ID, name: JobName.FilesRetention, everyMs: EVERY_MS, data }];
  }
}
