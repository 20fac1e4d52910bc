import { Logger } from '@nestjs/common';
import { buildConfig } from '@app/config';
import { QueueName } from '@app/queue';
import { FakeQueueMonitor } from './fake-queue-monitor';
import { WorkerMetrics } from './worker-metrics';

const config = buildConfig({ READINESS_TIMEOUT: '100ms' });

/** The value of one sample line, e.g. sample(text, 'x_total{queue="a"}'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('WorkerMetrics', () => {
  let monitor: FakeQueueMonitor;
  let metrics: WorkerMetrics;

  beforeEach(() => {
    monitor = new FakeQueueMonitor();
    metrics = new WorkerMetrics(monitor, config);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('reports queue depth per queue and state, read at scrape time', async () => {
    monitor.nextCounts = () => Promise.resolve([{ queue: QueueName.Responses, waiting: 7, active: 2, delayed: 1, failed: 3 }]);
    const text = await metrics.metrics();
    expect(sample(text, `switchyard_queue_jobs{queue="${QueueName.Responses}",state="waiting"}`)).toBe(7);
    expect(sample(text, `switchyard_queue_jobs{queue="${QueueName.Responses}",state="active"}`)).toBe(2);
    expect(sample(text, `switchyard_queue_jobs{queue="${QueueName.Responses}",state="delayed"}`)).toBe(1);
    expect(sample(text, `switchyard_queue_jobs{queue="${QueueName.Responses}",state="failed"}`)).toBe(3);

    monitor.nextCounts = () => Promise.resolve([{ queue: QueueName.Responses, waiting: 0, active: 0, delayed: 0, failed: 3 }]);
    expect(sample(await metrics.metrics(), `switchyard_queue_jobs{queue="${QueueName.Responses}",state="waiting"}`)).toBe(0);
  });

  it('answers a scrape within READINESS_TIMEOUT when Redis does not, without stale depths', async () => {
    monitor.nextCounts = () => Promise.resolve([{ queue: QueueName.Maintenance, waiting: 5, active: 0, delayed: 0, failed: 0 }]);
    expect(sample(await metrics.metrics(), `switchyard_queue_jobs{queue="${QueueName.Maintenance}",state="waiting"}`)).toBe(5);

    monitor.nextCounts = () => new Promise(() => undefined);
    const started = Date.now();
    const text = await metrics.metrics();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(text).toContain('# TYPE switchyard_queue_jobs gauge');
    expect(text).not.toMatch(/^switchyard_queue_jobs\{/m);
    expect(Logger.prototype.warn).toHaveBeenCalledWith(expect.stringContaining('Queue depth not sampled'));
  });

  it('counts job durations by outcome, failed attempts and stalled takeovers', async () => {
    const queue = QueueName.Maintenance;
    let text = await metrics.metrics();
    expect(sample(text, `switchyard_job_failures_total{queue="${queue}"}`)).toBe(0);
    expect(sample(text, `switchyard_jobs_stalled_total{queue="${queue}"}`)).toBe(0);

    monitor.emit({ kind: 'completed', queue, durationMs: 250 });
    monitor.emit({ kind: 'completed', queue, durationMs: 750 });
    monitor.emit({ kind: 'failed', queue, durationMs: 40 });
    monitor.emit({ kind: 'failed', queue });
    monitor.emit({ kind: 'stalled', queue });
    text = await metrics.metrics();
    expect(sample(text, `switchyard_job_duration_seconds_count{queue="${queue}",status="completed"}`)).toBe(2);
    expect(sample(text, `switchyard_job_duration_seconds_sum{queue="${queue}",status="completed"}`)).toBeCloseTo(1);
    expect(sample(text, `switchyard_job_duration_seconds_count{queue="${queue}",status="failed"}`)).toBe(1);
    expect(sample(text, `switchyard_job_failures_total{queue="${queue}"}`)).toBe(2);
    expect(sample(text, `switchyard_jobs_stalled_total{queue="${queue}"}`)).toBe(1);
  });
});
