import { readFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from '@app/config';
import { createPinoLogger, StructuredLogger } from '@app/observability';
import { GatewayModule, type GatewayModuleOptions } from './gateway.module';
import { GracefulShutdown } from './http/graceful-shutdown';
import { applyServerTimeouts } from './http/server-timeouts';
import { jsonDepthVerifier } from './pipeline/body-reader';
import { setupSwagger } from './openapi/setup-swagger';
import { RouteTable } from './pipeline/route-table';

/**
 * Builds the gateway application from a validated config, ready to listen. main.ts and the e2e
 * tests both start the gateway through here, so they run the same stack.
 */
export async function createGateway(
  config: AppConfig,
  logger = new StructuredLogger(createPinoLogger(config.logLevel)),
  options: GatewayModuleOptions = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(GatewayModule.forRoot(config, options), {
    // TLS_CERT_FILE + TLS_KEY_FILE: one https.Server serves HTTPS and WSS (realtime) on PORT.
    httpsOptions: config.tls ? { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) } : undefined,
    bodyParser: false,
    logger,
    abortOnError: false,
  });
  // Hot-path routes read their own bodies; this parser serves the Nest-routed ones (admin etc.).
  // Nest reserves body-parser's `verify` hook for `rawBody: true` (off here); it is where the
  // nesting-depth check runs, on the raw bytes before parsing, as on the hot path.
  const jsonOptions = { limit: config.bodySizeLimit, verify: jsonDepthVerifier(config.jsonMaxDepth) };
  app.useBodyParser('json', jsonOptions);
  // The hot routes are discovered now, so two handlers for one route fail the boot here, naming both.
  try {
    app.get(RouteTable).build();
  } catch (error) {
    await app.close();
    throw error;
  }
  app.disable('x-powered-by');
  app.set('etag', false);
  if (config.swaggerEnabled) setupSwagger(app);
  if (!config.masterKey) {
    logger.warn(
      '!!! SWITCHYARD_MASTER_KEY is not set: the gateway is OPEN and anyone who can reach it can spend your provider credits. Set SWITCHYARD_MASTER_KEY before exposing it. !!!',
      'Auth',
    );
  }
  applyServerTimeouts(app.getHttpServer(), config.server);
  return app;
}

/** Stops accepting, drains requests in flight, then closes the app (flushing usage records). */
export async function shutdownGateway(app: NestExpressApplication): Promise<void> {
  await app.get(GracefulShutdown).drain();
  await app.close();
}
