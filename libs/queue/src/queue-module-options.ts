import type { ModuleMetadata, Type } from '@nestjs/common';
import type { JobProcessor } from './job-processor';

/**
 * Whether this process runs jobs:
 * - `true`: always consume (apps/worker; with Redis one BullMQ Worker per queue with a processor).
 * - `false`: only produce. Needs REDIS_URL: without Redis nobody else could ever run the jobs.
 * - `'when-embedded'`: consume in-process when REDIS_URL is unset, only produce when it is set and
 *   apps/worker consumes — what the gateway wants.
 */
export type QueueConsumeMode = boolean | 'when-embedded';

/** Options of QueueModule.forRoot. */
export interface QueueModuleOptions {
  /**
   * Processor classes, at most one per queue. They are instantiated only when this process
   * consumes; the same classes run in BullMQ workers and in the in-process runner.
   */
  readonly processors: readonly Type<JobProcessor>[];
  readonly consume: QueueConsumeMode;
  /** Modules the processors' dependencies come from, when those are not global. */
  readonly imports?: ModuleMetadata['imports'];
}
