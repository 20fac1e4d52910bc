import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { QueueConfig } from '@app/config';
import type { JobPayloads } from '../job-contracts';
import type { AddJobOptions, JobQueue } from '../job-queue';
import type { ProcessorRegistry, QueueSchedule } from '../processor-registry';
import type { QueueName } from '../queue-names';
import { InProcessRunner } from './in-process-runner';

/**
 * {@link JobQueue} of the embedded mode: jobs run in this process with the registered processors,
 * and schedules tick on timers. Schedules start at bootstrap with an immediate first run, as a
 * BullMQ `every` scheduler does, so a chore still runs when the process restarts more often than
 * its interval.
 */
export class InProcessJobQueue implements JobQueue, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('InProcessQueue');
  private readonly runner: InProcessRunner;
  private readonly intervals: NodeJS.Timeout[] = [];

  constructor(
    private readonly registry: ProcessorRegistry,
    settings: QueueConfig,
    private readonly shutdownTimeoutMs: number,
  ) {
    this.runner = new InProcessRunner(settings, (queue, job) => registry.dispatch(queue, job), this.logger);
  }

  add<N extends keyof JobPayloads>(queue: QueueName, name: N, data: JobPayloads[N], options?: AddJobOptions): Promise<string> {
    // Synchronous underneath, but a refusal still arrives as a rejection, as BullMQ's does.
    return new Promise((resolve) => {
      // Embedded, nobody else will ever take the job: refuse it loudly rather than keep it forever.
      if (!this.registry.has(queue)) throw new Error(`No processor for queue ${queue} is registered with QueueModule`);
      resolve(this.runner.add(queue, name, data, options));
    });
  }

  onApplicationBootstrap(): void {
    for (const schedule of this.registry.schedules()) {
      this.fire(schedule);
      const interval = setInterval(() => this.fire(schedule), schedule.everyMs);
      interval.unref();
      this.intervals.push(interval);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.intervals.forEach(clearInterval);
    this.intervals.length = 0;
    await this.runner.close(this.shutdownTimeoutMs);
  }

  private fire(schedule: QueueSchedule): void {
    try {
      this.runner.add(schedule.queue, schedule.name, schedule.data);
    } catch (error) {
      this.logger.error(`Schedule ${schedule.id} could not add its job: ${(error as Error).message}`);
    }
  }
}
