import { buildConfig, ConfigError } from '@app/config';
import { createWorker } from './bootstrap';
import { assertWorkerConfig } from './worker-config';

describe('worker configuration', () => {
  it('refuses to start without REDIS_URL, naming the variable', async () => {
    const config = buildConfig({});
    expect(() => assertWorkerConfig(config)).toThrow(ConfigError);
    expect(() => assertWorkerConfig(config)).toThrow(/REDIS_URL is required by the worker/);
    await expect(createWorker(config)).rejects.toMatchObject({ variable: 'REDIS_URL' });
  });

  it('accepts a config with REDIS_URL', () => {
    expect(() => assertWorkerConfig(buildConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }))).not.toThrow();
  });

  it('serves health and metrics on WORKER_HTTP_PORT, 9464 unless set, and names a bad value', () => {
    expect(buildConfig({}).workerHttpPort).toBe(9464);
    expect(buildConfig({ WORKER_HTTP_PORT: '9100' }).workerHttpPort).toBe(9100);
    expect(() => buildConfig({ WORKER_HTTP_PORT: 'http' })).toThrow(/WORKER_HTTP_PORT/);
  });
});
