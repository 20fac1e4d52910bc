export * from './queue-names';
export * from './job-contracts';
export * from './job-processor';
export * from './job-queue';
export * from './invalid-job-id.error';
export * from './queue-closed.error';
export { assertValidJobId } from './job-id';
export type { QueueConsumeMode, QueueModuleOptions } from './queue-module-options';
export * from './queue.module';
