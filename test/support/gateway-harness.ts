import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type AppConfig, buildConfig } from '@app/config';
import { createPinoLogger, StructuredLogger } from '@app/observability';
import type { DestinationStream } from 'pino';
import { createGateway, shutdownGateway } from '../../apps/gateway/src/bootstrap';
import type { GatewayModuleOptions } from '../../apps/gateway/src/gateway.module';

export const TEST_MASTER_KEY = 'sy-test-master-key';

/** A gateway booted from its root module on a free port, with its own temporary SQLite file. */
export interface TestGateway {
  readonly app: NestExpressApplication;
  readonly config: AppConfig;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly dataDir: string;
  /** Drains and closes the gateway (as SIGTERM does), then removes its data directory. */
  close(): Promise<void>;
}

export interface TestGatewayOptions extends GatewayModuleOptions {
  /** The text of a SWITCHYARD_CONFIG file (aliases, fallback chains), written to the data directory. */
  readonly routingYaml?: string;
  /** Where log lines go (at LOG_LEVEL); silent when not given. */
  readonly logDestination?: DestinationStream;
}

/**
 * Boots the gateway exactly as main.ts does, with test-friendly defaults that `env` overrides:
 * auth on, silent logs, a temporary data directory, fast retries.
 */
export async function startTestGateway(env: Record<string, string | undefined> = {}, options: TestGatewayOptions = {}): Promise<TestGateway> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-e2e-'));
  const routingFile = join(dataDir, 'switchyard.yaml');
  if (options.routingYaml !== undefined) writeFileSync(routingFile, options.routingYaml);
  // A variable given as undefined is unset (e.g. SWITCHYARD_MASTER_KEY for an open gateway).
  const config = buildConfig(
    definedOnly({
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      SWITCHYARD_MASTER_KEY: TEST_MASTER_KEY,
      UPSTREAM_RETRY_BASE_DELAY: '5ms',
      UPSTREAM_RETRY_MAX_DELAY: '50ms',
      USAGE_FLUSH_INTERVAL: '50ms',
      SHUTDOWN_DRAIN_TIMEOUT: '5s',
      ...(options.routingYaml === undefined ? {} : { SWITCHYARD_CONFIG: routingFile }),
      ...env,
    }),
  );
  const logger = new StructuredLogger(createPinoLogger(options.logDestination ? config.logLevel : 'silent', options.logDestination));
  const app = await createGateway(config, logger, { policies: options.policies, modules: options.modules });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  let closed = false;
  return {
    app,
    config,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    async close() {
      if (closed) return;
      closed = true;
      await shutdownGateway(app);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
