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
import { JOB_QUEUE, JobName, type JobQueue, QueueName } from '@app/queue';
import { createWorker } from './bootstrap';
import { WorkerHttpServer } from './http/worker-http.server';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `sy-test-worker-http-${randomUUID()}`;
const MAINTENANCE = QueueName.Maintenance;

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met within 10 s');
    await sleep(50);
  }
}

async function jobState(queue: Queue, id: string, want: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await queue.getJobState(id)) !== want) {
    if (Date.now() > deadline) throw new Error(`job ${id} did not become ${want}: ${await queue.getJobState(id)}`);
    await sleep(50);
  }
}

describe('worker HTTP: /health and /metrics on WORKER_HTTP_PORT', () => {
  let app: INestApplicationContext | undefined;
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'switchyard-worker-http-'));
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

  it('reports the jobs it ran, the queue depth and its liveness, and stops serving on close', async () => {
    const config = buildConfig({
      REDIS_URL,
      REDIS_KEY_PREFIX: `${PREFIX}:`,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      WORKER_HTTP_PORT: '0',
      QUEUE_ATTEMPTS: '1',
    });
    app = await createWorker(config);
    const url = `http://127.0.0.1:${app.get(WorkerHttpServer).port()}`;
    const jobs = app.get<JobQueue>(JOB_QUEUE);
    const queue = app.get<Queue>(getQueueToken(MAINTENANCE));

    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const ok = await jobs.add(MAINTENANCE, JobName.UsageRetention, { retentionDays: 7 }, { jobId: 'metrics-ok' });
    const bad = await jobs.add(MAINTENANCE, JobName.UsageRetention, { retentionDays: -1 }, { jobId: 'metrics-bad' });
    await jobState(queue, ok, 'completed');
    await jobState(queue, bad, 'failed');
    // BullMQ emits 'failed' once the state is stored, so the counter may trail it by a moment.
    const text = await until(async () => {
      const response = await fetch(`${url}/metrics`);
      expect(response.status).toBe(200);
      const body = await response.text();
      return sample(body, `switchyard_job_failures_total{queue="${MAINTENANCE}"}`) === 1 ? body : undefined;
    });
    for (const name of ['switchyard_queue_jobs', 'switchyard_job_duration_seconds', 'switchyard_job_failures_total', 'switchyard_jobs_stalled_total']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    // The boot-time scheduled retention run completes too, hence at least one.
    expect(sample(text, `switchyard_job_duration_seconds_count{queue="${MAINTENANCE}",status="completed"}`)).toBeGreaterThanOrEqual(1);
    expect(sample(text, `switchyard_job_duration_seconds_count{queue="${MAINTENANCE}",status="failed"}`)).toBe(1);
    expect(sample(text, `switchyard_job_failures_total{queue="${MAINTENANCE}"}`)).toBe(1);
    expect(sample(text, `switchyard_jobs_stalled_total{queue="${MAINTENANCE}"}`)).toBe(0);
    expect(sample(text, `switchyard_queue_jobs{queue="${MAINTENANCE}",state="failed"}`)).toBe(1);
    expect(sample(text, `switchyard_queue_jobs{queue="${QueueName.Responses}",state="waiting"}`)).toBe(0);

    await app.close();
    app = undefined;
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
