import type { INestApplicationContext } from '@nestjs/common';
import pino from 'pino';
import { type AppConfig, ConfigError, loadConfig } from '@app/config';
import { createPinoLogger, StructuredLogger } from '@app/observability';
import { createWorker } from './bootstrap';

// Beyond the drain timeout a stuck job must not keep a terminating pod alive until SIGKILL.
const SHUTDOWN_MARGIN_MS = 5_000;

function exitOnConfigError(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

async function start(config: AppConfig): Promise<INestApplicationContext> {
  try {
    return await createWorker(config);
  } catch (error) {
    exitOnConfigError(error);
  }
}

function handleSignals(app: INestApplicationContext, config: AppConfig, logger: StructuredLogger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.log({ msg: 'shutting down: finishing running jobs', signal }, 'Worker');
    setTimeout(() => {
      logger.error(`jobs still running ${config.drainTimeoutMs + SHUTDOWN_MARGIN_MS} ms after ${signal}; exiting`, undefined, 'Worker');
      process.exit(1);
    }, config.drainTimeoutMs + SHUTDOWN_MARGIN_MS).unref();
    app
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error(error, undefined, 'Worker');
        process.exit(1);
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    exitOnConfigError(error);
  }
  const app = await start(config);
  const logger = app.get(StructuredLogger);
  logger.log('Switchyard worker started', 'Worker');
  handleSignals(app, config, logger);
}

main().catch((error: unknown) => {
  // Boot failed after config was valid (e.g. the database is unreachable): say why, as JSON, with
  // a synchronous write so the line survives the exit; exit explicitly because half-opened Redis
  // connections would otherwise keep the process alive.
  new StructuredLogger(createPinoLogger('error', pino.destination({ sync: true }))).error(error, undefined, 'Worker');
  process.exit(1);
});
