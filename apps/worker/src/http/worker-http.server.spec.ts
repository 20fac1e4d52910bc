import { Logger } from '@nestjs/common';
import { buildConfig } from '@app/config';
import { FakeQueueMonitor } from '../metrics/fake-queue-monitor';
import { WorkerMetrics } from '../metrics/worker-metrics';
import { WorkerHttpServer } from './worker-http.server';

const MASTER_KEY = 'sy-test-worker-master';

describe('WorkerHttpServer', () => {
  let monitor: FakeQueueMonitor;
  let server: WorkerHttpServer | undefined;

  async function start(env: Record<string, string> = {}): Promise<string> {
    const config = buildConfig({ HOST: '127.0.0.1', WORKER_HTTP_PORT: '0', ...env });
    server = new WorkerHttpServer(config, monitor, new WorkerMetrics(monitor, config));
    await server.onApplicationBootstrap();
    return `http://127.0.0.1:${server.port()}`;
  }

  beforeEach(() => {
    monitor = new FakeQueueMonitor();
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    await server?.onApplicationShutdown();
    server = undefined;
    jest.restoreAllMocks();
  });

  it('answers /health 200 while the consumers run and 503 once they stopped', async () => {
    const url = await start();
    const live = await fetch(`${url}/health`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    monitor.isConsuming = false;
    expect((await fetch(`${url}/health`)).status).toBe(503);
  });

  it('serves the job metrics as Prometheus text at /metrics', async () => {
    const url = await start();
    const response = await fetch(`${url}/metrics?ignored=1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('# TYPE switchyard_job_duration_seconds histogram');
    expect(text).toContain('# TYPE switchyard_jobs_stalled_total counter');
  });

  it('keeps /metrics to the master key under METRICS_AUTH', async () => {
    const url = await start({ METRICS_AUTH: 'true', SWITCHYARD_MASTER_KEY: MASTER_KEY });
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${MASTER_KEY}` } })).status).toBe(200);
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it('has no /metrics when METRICS_ENABLED is off, and nothing else at all', async () => {
    const url = await start({ METRICS_ENABLED: 'false' });
    expect((await fetch(`${url}/metrics`)).status).toBe(404);
    expect((await fetch(`${url}/`)).status).toBe(404);
    expect((await fetch(`${url}/health`, { method: 'POST' })).status).toBe(405);
  });

  it('refuses to start on a port already taken, instead of running unprobeable', async () => {
    const url = await start();
    const taken = new URL(url).port;
    const second = new WorkerHttpServer(buildConfig({ HOST: '127.0.0.1', WORKER_HTTP_PORT: taken }), monitor, new WorkerMetrics(monitor, buildConfig({})));
    await expect(second.onApplicationBootstrap()).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('closes on shutdown even while a scraper holds a keep-alive connection', async () => {
    const url = await start();
    await fetch(`${url}/health`, { headers: { connection: 'keep-alive' } });
    const started = Date.now();
    await server?.onApplicationShutdown();
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    server = undefined;
  });
});
