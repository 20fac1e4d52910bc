import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildConfig } from '@app/config';
import { QueueName } from '@app/queue';
import { AUDIT_RETENTION_SCHEDULE_ID, USAGE_RETENTION_SCHEDULE_ID } from '@app/storage';
import { createWorker } from './bootstrap';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `sy-test-worker-${randomUUID()}`;

describe('worker app', () => {
  let app: INestApplicationContext | undefined;
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'switchyard-worker-'));
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
    const raw = new Redis(REDIS_URL);
    try {
      const keys = await raw.keys(`${PREFIX}*`);
      if (keys.length > 0) await raw.del(...keys);
    } finally {
      await raw.quit();
    }
  });

  it('boots on SQLite and Redis, schedules usage and audit retention once each and runs them', async () => {
    const config = buildConfig({ REDIS_URL, REDIS_KEY_PREFIX: `${PREFIX}:`, DATA_DIR: dataDir, LOG_LEVEL: 'silent', WORKER_HTTP_PORT: '0' });
    app = await createWorker(config);
    const queue = app.get<Queue>(getQueueToken(QueueName.Maintenance));
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((scheduler) => scheduler.key).sort()).toEqual([AUDIT_RETENTION_SCHEDULE_ID, USAGE_RETENTION_SCHEDULE_ID]);

    const deadline = Date.now() + 5_000;
    while ((await queue.getJobCounts('completed')).completed === 0) {
      if (Date.now() > deadline) throw new Error(`retention job did not complete: ${JSON.stringify(await queue.getJobCounts())}`);
      await sleep(50);
    }
    const [done] = await queue.getJobs(['completed']);
    expect(done.returnvalue).toMatchObject({ deleted: 0 });

    await app.close();
    app = undefined;
  });
});
