import { assertValidJobId } from './job-id';
import type { JobContext, JobProcessor, ScheduledJob } from './job-processor';
import type { QueueName } from './queue-names';

/** Injection token of the processor instances handed to a consuming QueueModule. */
export const JOB_PROCESSORS = Symbol('JOB_PROCESSORS');

/** A processor's schedule together with the queue its jobs go to. */
export interface QueueSchedule extends ScheduledJob {
  readonly queue: QueueName;
}

/**
 * The processors this process consumes with, one per queue, shared by both runners so the same
 * classes run embedded and in apps/worker.
 */
export class ProcessorRegistry {
  private readonly byQueue = new Map<QueueName, JobProcessor>();

  constructor(processors: readonly JobProcessor[]) {
    for (const processor of processors) {
      const existing = this.byQueue.get(processor.queue);
      if (existing) {
        throw new Error(`Queue ${processor.queue} has two processors (${existing.constructor.name}, ${processor.constructor.name}); one class must handle each queue`);
      }
      this.byQueue.set(processor.queue, processor);
    }
  }

  /** Queues that have a processor here, i.e. the ones this process consumes. */
  queues(): QueueName[] {
    return [...this.byQueue.keys()];
  }

  has(queue: QueueName): boolean {
    return this.byQueue.has(queue);
  }

  dispatch(queue: QueueName, job: JobContext): Promise<unknown> {
    const processor = this.byQueue.get(queue);
    if (!processor) return Promise.reject(new Error(`No processor for queue ${queue} in this process`));
    return processor.process(job);
  }

  /** Every processor's repeating jobs, validated (ids follow job id rules, positive interval). */
  schedules(): QueueSchedule[] {
    const all: QueueSchedule[] = [];
    for (const [queue, processor] of this.byQueue) {
      for (const schedule of processor.schedules?.() ?? []) {
        assertValidJobId(schedule.id);
        if (!(schedule.everyMs > 0)) throw new RangeError(`Schedule ${schedule.id} needs a positive everyMs`);
        all.push({ ...schedule, queue });
      }
    }
    return all;
  }
}
