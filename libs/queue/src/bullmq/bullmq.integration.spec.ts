import { Logger } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AppConfig, buildConfig } from '@app/config';
import { InvalidJobIdError } from '../invalid-job-id.error';
import { JOB_QUEUE, type JobQueue } from '../job-queue';
import type { JobContext, JobProcessor, ScheduledJob } from '../job-processor';
import { JobName, QueueName } from '../queue-names';
import { QueueModule } from '../queue.module';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RUN = `sy-test-${randomUUID()}`;
const DATA = { retentionDays: 7 };

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

const apps: TestingModule[] = [];
let config: AppConfig;
let testNo = 0;

async function boot(consume: boolean): Promise<TestingModule> {
  const app = await Test.createTestingModule({
    imports: [QueueModule.forRoot(config, { processors: [TestProcessor], consume })],
  }).compile();
  apps.push(app);
  await app.init();
  return app;
}

const jobQueue = (app: TestingModule): JobQueue => app.get<JobQueue>(JOB_QUEUE);
const bullQueue = (app: TestingModule): Queue => app.get<Queue>(getQueueToken(QueueName.Maintenance));

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

beforeEach(() => {
  testNo += 1;
  // One BullMQ prefix per test: jobs of one test never reach another test's workers.
  config = buildConfig({ REDIS_URL, REDIS_KEY_PREFIX: `${RUN}-${testNo}:`, QUEUE_BACKOFF: '50ms', QUEUE_ATTEMPTS: '3' });
  handle.mockReset();
  handle.mockResolvedValue('ok');
  schedules = [];
  jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
});

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  jest.restoreAllMocks();
});

afterAll(async () => {
  const raw = new Redis(REDIS_URL);
  try {
    const keys = await raw.keys(`${RUN}*`);
    if (keys.length > 0) await raw.del(...keys);
  } finally {
    await raw.quit();
  }
});

describe('QueueModule on BullMQ (REDIS_URL set)', () => {
  it('runs a job added by a producer-only module in a separate consumer module', async () => {
    const producer = await boot(false);
    await boot(true);
    const id = await jobQueue(producer).add(QueueName.Maintenance, JobName.UsageRetention, DATA);
    await until(() => handle.mock.calls.length === 1);
    expect(handle).toHaveBeenCalledWith({ id, name: JobName.UsageRetention, data: DATA, attempt: 1 });
    await until(async () => (await bullQueue(producer).getJobState(id)) === 'completed');
  });

  it('keys its queues under the deployment prefix', async () => {
    const producer = await boot(false);
    await jobQueue(producer).add(QueueName.Maintenance, JobName.UsageRetention, DATA, { jobId: 'prefixed' });
    const raw = new Redis(REDIS_URL);
    try {
      expect(await raw.exists(`${RUN}-${testNo}:${QueueName.Maintenance}:prefixed`)).toBe(1);
    } finally {
      await raw.quit();
    }
  });

  it('retries a failed job with backoff and completes it on a later attempt', async () => {
    handle.mockRejectedValueOnce(new Error('transient')).mockResolvedValue('ok');
    const producer = await boot(false);
    await boot(true);
    const id = await jobQueue(producer).add(QueueName.Maintenance, JobName.UsageRetention, DATA);
    await until(async () => (await bullQueue(producer).getJobState(id)) === 'completed');
    expect(handle.mock.calls.map(([job]) => job.attempt)).toEqual([1, 2]);
  });

  it('marks a job failed after QUEUE_ATTEMPTS tries', async () => {
    handle.mockRejectedValue(new Error('permanent'));
    const producer = await boot(false);
    await boot(true);
    const id = await jobQueue(producer).add(QueueName.Maintenance, JobName.UsageRetention, DATA);
    await until(async () => (await bullQueue(producer).getJobState(id)) === 'failed');
    expect(handle.mock.calls.map(([job]) => job.attempt)).toEqual([1, 2, 3]);
    const job = await bullQueue(producer).getJob(id);
    expect(job?.failedReason).toBe('permanent');
  });

  it('makes a deterministic jobId one job, however often it is added', async () => {
    const producer = await boot(false);
    const add = (): Promise<string> => jobQueue(producer).add(QueueName.Maintenance, JobName.UsageRetention, DATA, { jobId: 'retention-2026-01-01' });
    expect(await Promise.all([add(), add(), add()])).toEqual(Array(3).fill('retention-2026-01-01'));
    expect((await bullQueue(producer).getJobCounts('waiting')).waiting).toBe(1);

    await boot(true);
    await until(() => handle.mock.calls.length === 1);
    await add();
    await sleep(200);
    expect(handle).toHaveBeenCalledTimes(1);
  });

  it('rejects job ids BullMQ cannot store, before reaching Redis', async () => {
    const producer = await boot(false);
    await expect(jobQueue(producer).add(QueueName.Maintenance, JobName.UsageRetention, DATA, { jobId: 'a:b' })).rejects.toThrow(InvalidJobIdError);
  });

  it('upserts one scheduler when two consumers start, and runs its job', async () => {
    schedules = [{ id: 'usage-retention', name: JobName.UsageRetention, everyMs: 3_600_000, data: DATA }];
    const first = await boot(true);
    await boot(true);
    const queue = bullQueue(first);
    expect(await queue.getJobSchedulersCount()).toBe(1);
    const [scheduler] = await queue.getJobSchedulers();
    expect(scheduler).toMatchObject({ key: 'usage-retention', name: JobName.UsageRetention, every: 3_600_000 });
    await until(() => handle.mock.calls.length === 1);
    await sleep(300);
    expect(handle).toHaveBeenCalledTimes(1);
    expect(handle.mock.calls[0][0]).toMatchObject({ name: JobName.UsageRetention, data: DATA });
  });

  it('lets a running job finish when the consumer shuts down', async () => {
    let finished = false;
    handle.mockImplementation(async () => {
      await sleep(300);
      finished = true;
    });
    const producer = await boot(false);
    const consumer = await boot(true);
    const id = await jobQueue(producer).add(QueueName.Maintenance, JobName.UsageRetention, DATA);
    await until(() => handle.mock.calls.length === 1);
    await consumer.close();
    apps.splice(apps.indexOf(consumer), 1);
    expect(finished).toBe(true);
    expect(await bullQueue(producer).getJobState(id)).toBe('completed');
  });
});
