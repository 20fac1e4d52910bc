import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AppConfig } from '@app/config';
import { StructuredLogger } from '@app/observability';
import { assertWorkerConfig } from './worker-config';
import { WorkerModule } from './worker.module';

/**
 * Builds and starts the worker (an application context: consumers start at bootstrap). main.ts
 * and the tests start it through here. Throws ConfigError when REDIS_URL is missing.
 */
export async function createWorker(config: AppConfig): Promise<INestApplicationContext> {
  assertWorkerConfig(config);
  // Logs are buffered until the StructuredLogger exists, so boot lines come out as JSON too.
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(StructuredLogger));
  app.flushLogs();
  return app;
}
