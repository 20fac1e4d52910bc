import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { JOB_QUEUE, JobName, type JobQueue, QueueName } from '@app/queue';
import { BatchesRepository } from '@app/storage';

const OPEN_STATUSES = ['in_progress', 'cancelling', 'finalizing'];
const SWEEP_LIMIT = 100;

/** Enqueues runs of emulated batches: the first at creation, later ones for batches whose run stopped. */
@Injectable()
export class BatchResumer {
  private readonly logger = new Logger(BatchResumer.name);

  constructor(
    private readonly batches: BatchesRepository,
    private readonly moduleRef: ModuleRef,
  ) {}

  /**
   * The queue, looked up when first used: the batches processor (built by QueueModule before its
   * JOB_QUEUE exists) needs this class to resume batches, so a constructor injection would be a cycle.
   */
  private get jobs(): JobQueue {
    return this.moduleRef.get<JobQueue>(JOB_QUEUE, { strict: false });
  }

  /** Enqueues the run of `generation`; a failure is logged, the sweep tries again later. */
  async enqueue(batchId: string, generation: number): Promise<void> {
    try {
      await this.jobs.add(QueueName.Batches, JobName.BatchRun, { batchId, generation }, { jobId: `${batchId}-g${generation}` });
    } catch (error) {
      this.logger.warn({ msg: 'could not enqueue a batch run; the sweep will resume the batch', batchId, err: (error as Error).message });
    }
  }

  /**
   * Emulated batches still open without progress for `staleAfterMs` get a new run generation (one
   * replica wins each) and a run; the old run, if it is alive after all, sees the new generation
   * and stops, and its items come back when their leases run out.
   */
  async resumeStale(staleAfterMs: number): Promise<number> {
    const stale = await this.batches.findStale('emulated', OPEN_STATUSES, new Date(Date.now() - staleAfterMs), SWEEP_LIMIT);
    let resumed = 0;
    for (const batch of stale) {
      if (!(await this.batches.nextGeneration(batch.id, batch.generation))) continue;
      await this.enqueue(batch.id, batch.generation + 1);
      resumed++;
    }
    return resumed;
  }
}
