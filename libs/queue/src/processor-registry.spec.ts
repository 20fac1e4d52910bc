import { InvalidJobIdError } from './invalid-job-id.error';
import type { JobContext, JobProcessor, ScheduledJob } from './job-processor';
import { ProcessorRegistry } from './processor-registry';
import { JobName, QueueName } from './queue-names';

function processor(process: (job: JobContext) => Promise<unknown>, schedules?: ScheduledJob[]): JobProcessor {
  return { queue: QueueName.Maintenance, process, ...(schedules ? { schedules: () => schedules } : {}) };
}

const JOB: JobContext = { id: 'j1', name: JobName.UsageRetention, data: {}, attempt: 1 };

describe('ProcessorRegistry', () => {
  it('dispatches a job to the processor of its queue and returns its result', async () => {
    const registry = new ProcessorRegistry([processor(async (job) => `done ${job.id}`)]);
    expect(registry.queues()).toEqual([QueueName.Maintenance]);
    await expect(registry.dispatch(QueueName.Maintenance, JOB)).resolves.toBe('done j1');
  });

  it('rejects a job for a queue without processor', async () => {
    await expect(new ProcessorRegistry([]).dispatch(QueueName.Maintenance, JOB)).rejects.toThrow(/No processor/);
  });

  it('refuses two processors for one queue', () => {
    expect(() => new ProcessorRegistry([processor(async () => 1), processor(async () => 2)])).toThrow(/two processors/);
  });

  it('lists schedules with their queue and validates them', () => {
    const daily: ScheduledJob = { id: 'daily', name: JobName.UsageRetention, everyMs: 1_000, data: {} };
    expect(new ProcessorRegistry([processor(async () => 1, [daily])]).schedules()).toEqual([{ ...daily, queue: QueueName.Maintenance }]);
    expect(() => new ProcessorRegistry([processor(async () => 1, [{ ...daily, id: 'a:b' }])]).schedules()).toThrow(InvalidJobIdError);
    expect(() => new ProcessorRegistry([processor(async () => 1, [{ ...daily, everyMs: 0 }])]).schedules()).toThrow(RangeError);
  });
});
