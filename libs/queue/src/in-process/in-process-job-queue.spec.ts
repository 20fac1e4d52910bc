import { Test, type TestingModule } from '@nestjs/testing';
import { Logger, type Type } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildConfig } from '@app/config';
import { InvalidJobIdError } from '../invalid-job-id.error';
import { JOB_QUEUE, type JobQueue } from '../job-queue';
import type { JobContext, JobProcessor, ScheduledJob } from '../job-processor';
import { QueueClosedError } from '../queue-closed.error';
import { JobName, QueueName } from '../queue-names';
import { QueueModule } from '../queue.module';

const handle = jest.fn<Promise<unknown>, [JobContext]>();
let schedules: ScheduledJob[] = [];

class TestProcessor implements JobProcessor {
  readonly queue = QueueName.Maintenance;
  process(job: JobContext): Promise<unknown> {
    return handle(job);
  }
  schedules(): ScheduledJob[] {
    return schedules;
  }
}

const DATA = { retentionDays: 30 };
let app: TestingModule | undefined;

async function boot(env: Record<string, string> = {}, processors: Type<JobProcessor>[] = [TestProcessor]): Promise<JobQueue> {
  const config = buildConfig({ QUEUE_BACKOFF: '20ms', ...env });
  app = await Test.createTestingModule({ imports: [QueueModule.forRoot(config, { processors, consume: true })] }).compile();
  await app.init();
  return app.get<JobQueue>(JOB_QUEUE);
}

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

beforeEach(() => {
  handle.mockReset();
  handle.mockResolvedValue('ok');
  schedules = [];
  jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
});

afterEach(async () => {
  await app?.close();
  app = undefined;
  jest.restoreAllMocks();
});

describe('in-process JobQueue (no REDIS_URL)', () => {
  it('runs an added job through the registered processor', async () => {
    const queue = await boot();
    const id = await queue.add(QueueName.Maintenance, JobName.UsageRetention, DATA);
    await until(() => handle.mock.calls.length === 1);
    expect(handle).toHaveBeenCalledWith({ id, name: JobName.UsageRetention, data: DATA, attempt: 1 });
  });

  it('retries a failing job with exponential backoff, then gives up after QUEUE_ATTEMPTS', async () => {
    const calledAt: number[] = [];
    handle.mockImplementation(async () => {
      calledAt.push(Date.now());
      throw new Error('boom');
    });
    const queue = await boot({ QUEUE_ATTEMPTS: '3', QUEUE_BACKOFF: '40ms' });
    await queue.add(QueueName.Maintenance, JobName.UsageRetention, DATA);
    await until(() => handle.mock.calls.length === 3);
    await sleep(250);
    expect(handle.mock.calls.map(([job]) => job.attempt)).toEqual([1, 2, 3]);
    expect(calledAt[1] - calledAt[0]).toBeGreaterThanOrEqual(35);
    expect(calledAt[2] - calledAt[1]).toBeGreaterThanOrEqual(75);
    expect(Logger.prototype.error).toHaveBeenCalledWith(expect.stringContaining('giving up: boom'), expect.anything());
  });

  it('completes a job that succeeds on a retry', async () => {
    handle.mockRejectedValueOnce(new Error('transient')).mockResolvedValue('ok');
    const queue = await boot({ QUEUE_ATTEMPTS: '3' });
    await queue.add(QueueName.Maintenance, JobName.UsageRetention, DATA);
    await until(() => handle.mock.calls.length === 2);
    await sleep(100);
    expect(handle).toHaveBeenCalledTimes(2);
    expect(Logger.prototype.error).not.toHaveBeenCalled();
  });

  it('treats the same jobId as one job, while it waits and after it completed', async () => {
    const queue = await boot();
    const ids = await Promise.all([
      queue.add(QueueName.Maintenance, JobName.UsageRetention, DATA, { jobId: 'retention-2026-01-01' }),
      queue.add(QueueName.Maintenance, JobName.UsageRetention, DATA, { jobId: 'retention-2026-01-01' }),
    ]);
    expect(ids).toEqual(['retention-2026-01-01', 'retention-2026-01-01']);
    await until(() => handle.mock.calls.length === 1);
    await queue.add(QueueName.Maintenance, JobName.UsageRetention, DATA, { jobId: 'retention-2026-01-01' });
    await sleep(50);
    expect(handle).toHaveBeenCalledTimes(1);
  });

  it('forgets finished ids beyond QUEUE_KEEP_COMPLETED, as BullMQ removes kept jobs', async () => {
    const queue = await boot({ QUEUE_KEEP_COMPLETED: '0' });
    await queue.add(QueueName.Maintenance, JobName.UsageRetention, DATA, { jobId: 'again' });
    await until(() => handle.mock.calls.length === 1);
    await sleep(10);
    await queue.add(QueueName.Maintenance, JobName.UsageRetention, DATA, { jobId: 'again' });
    await until(() => handle.mock.calls.length === 2);
  });

  it('gives generated ids to jobs without a jobId', async () => {
    const queue = await boot();
    const first = await queue.add(QueueName.Maintenance, JobName.UsageRetention, DATA);
    const second = await queue.add(QueueName.Maintenance, JobName.UsageRetention, DATA);
    expect(first).not.toBe(second);
    await until(() => handle.mock.calls.length === 2);
  });

  it.each([['with:colon'], ['42'], ['']])('rejects the job id %p', async (jobId) => {
    const queue = await boot();
    await expect(queue.add(QueueName.Maintenance, JobName.UsageRetention, DATA, { jobId })).rejects.toThrow(InvalidJobIdError);
    expect(handle).not.toHaveBeenCalled();
  });

  it('runs at most QUEUE_CONCURRENCY jobs of a queue at once', async () => {
    const gate = deferred();
    let running = 0;
    let peak = 0;
    handle.mockImplementation(async () => {
      running += 1;
      peak = Math.max(peak, running);
      await gate.promise;
      running -= 1;
    });
    const queue = await boot({ QUEUE_CONCURRENCY: '2' });
    for (let i = 0; i < 5; i += 1) await queue.add(QueueName.Maintenance, JobName.UsageRetention, DATA);
    await until(() => handle.mock.calls.length === 2);
    await sleep(30);
    expect(handle).toHaveBeenCalledTimes(2);
    gate.resolve();
    await until(() => handle.mock.calls.length === 5);
    expect(peak).toBe(2);
  });

  it('holds a delayed job back for delayMs', async () => {
    const queue = await boot();
    const added = Date.now();
    await queue.add(QueueName.Maintenance, JobName.UsageRetention, DATA, { delayMs: 100 });
    await sleep(50);
    expect(handle).not.toHaveBeenCalled();
    await until(() => handle.mock.calls.length === 1);
    expect(Date.now() - added).toBeGreaterThanOrEqual(95);
  });

  it('fires schedules at bootstrap and then every everyMs', async () => {
    schedules = [{ id: 'usage-retention-daily', name: JobName.UsageRetention, everyMs: 60, data: DATA }];
    await boot();
    await until(() => handle.mock.calls.length === 1);
    await until(() => handle.mock.calls.length >= 3, 1_000);
    expect(handle.mock.calls[0][0]).toMatchObject({ name: JobName.UsageRetention, data: DATA });
    await app?.close();
    app = undefined;
    const firedBeforeClose = handle.mock.calls.length;
    await sleep(150);
    expect(handle).toHaveBeenCalledTimes(firedBeforeClose);
  });

  it('on shutdown waits for a running job and takes no new ones', async () => {
    let finished = false;
    handle.mockImplementation(async () => {
      await sleep(150);
      finished = true;
    });
    const queue = await boot();
    await queue.add(QueueName.Maintenance, JobName.UsageRetention, DATA);
    await until(() => handle.mock.calls.length === 1);
    await app?.close();
    app = undefined;
    expect(finished).toBe(true);
    await expect(queue.add(QueueName.Maintenance, JobName.UsageRetention, DATA)).rejects.toThrow(QueueClosedError);
  });

  it('bounds the shutdown wait by SHUTDOWN_DRAIN_TIMEOUT', async () => {
    handle.mockImplementation(() => new Promise(() => undefined));
    const queue = await boot({ SHUTDOWN_DRAIN_TIMEOUT: '100ms' });
    await queue.add(QueueName.Maintenance, JobName.UsageRetention, DATA);
    await until(() => handle.mock.calls.length === 1);
    const started = Date.now();
    await app?.close();
    app = undefined;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(Logger.prototype.warn).toHaveBeenCalledWith(expect.stringContaining('still running'));
  });

  it('refuses jobs for a queue no processor consumes here', async () => {
    const queue = await boot({}, []);
    await expect(queue.add(QueueName.Maintenance, JobName.UsageRetention, DATA)).rejects.toThrow(/No processor/);
  });
});

describe('QueueModule consume modes without REDIS_URL', () => {
  it("consumes in-process with consume: 'when-embedded'", async () => {
    const config = buildConfig({});
    app = await Test.createTestingModule({
      imports: [QueueModule.forRoot(config, { processors: [TestProcessor], consume: 'when-embedded' })],
    }).compile();
    await app.init();
    await app.get<JobQueue>(JOB_QUEUE).add(QueueName.Maintenance, JobName.UsageRetention, DATA);
    await until(() => handle.mock.calls.length === 1);
  });

  it('refuses consume: false, since no other process could run the jobs', () => {
    expect(() => QueueModule.forRoot(buildConfig({}), { processors: [], consume: false })).toThrow(/REDIS_URL/);
  });
});
