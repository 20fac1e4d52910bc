import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from '@app/config';
import { createPinoLogger, startTracing, StructuredLogger, stopTracing } from '@app/observability';
import { createGateway, shutdownGateway } from './bootstrap';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const logger = new StructuredLogger(createPinoLogger(config.logLevel));
  if (startTracing(config.tracing)) logger.log({ msg: 'OpenTelemetry tracing on', endpoint: config.tracing.otlpEndpoint }, 'Bootstrap');
  let app;
  try {
    app = await createGateway(config, logger);
  } catch (error) {
    // One clear line (no stack, no URL: it may hold a password) and a non-zero exit for the orchestrator.
    const storage = config.databaseUrl && /database|ECONNREFUSED|connect|password/i.test(String((error as Error).message));
    process.stderr.write(
      `Switchyard gateway failed to start${storage ? ` (PostgreSQL unreachable after ${config.databaseBootRetries} retries)` : ''}: ${(error as Error).message}\n`,
    );
    process.exit(1);
  }
  await app.listen(config.port, config.host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  logger.log({ msg: 'Switchyard gateway listening', port, host: config.host, tls: config.tls !== undefined, providers: config.providers.map((p) => p.name) }, 'Bootstrap');

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log({ msg: 'shutting down', signal }, 'Bootstrap');
    shutdownGateway(app)
      .then(() => stopTracing())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error(error, undefined, 'Bootstrap');
        process.exit(1);
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
