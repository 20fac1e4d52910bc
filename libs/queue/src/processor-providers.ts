import type { Provider } from '@nestjs/common';
import type { JobProcessor } from './job-processor';
import type { QueueModuleOptions } from './queue-module-options';
import { JOB_PROCESSORS, ProcessorRegistry } from './processor-registry';

/** The consumer's processors and their registry, the same for the in-process and the BullMQ binding. */
export function processorProviders(options: QueueModuleOptions): Provider[] {
  return [
    ...options.processors,
    { provide: JOB_PROCESSORS, useFactory: (...processors: JobProcessor[]) => processors, inject: [...options.processors] },
    { provide: ProcessorRegistry, useFactory: (processors: JobProcessor[]) => new ProcessorRegistry(processors), inject: [JOB_PROCESSORS] },
  ];
}
