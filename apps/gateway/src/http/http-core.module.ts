import { Module } from '@nestjs/common';
import { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { ExchangeRecorder } from './exchange-recorder';
import { GracefulShutdown } from './graceful-shutdown';
import { HotPathRouter } from './hot-path.router';
import { RequestTracker } from './request-tracker';

/** The gateway's HTTP plumbing shared by every feature module: hot-path routing, auth, tracking. */
@Module({
  providers: [HotPathRouter, ApiKeyAuthenticator, RequestTracker, ExchangeRecorder, GracefulShutdown],
  exports: [HotPathRouter, ApiKeyAuthenticator, RequestTracker, ExchangeRecorder, GracefulShutdown],
})
export class HttpCoreModule {}
