import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ProvidersModule } from '@app/providers';
import { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { Admission } from '../pipeline/admission';
import { AuditCapture } from '../pipeline/audit-capture';
import { ExchangeRecorder } from '../pipeline/exchange-recorder';
import { Pipeline } from '../pipeline/pipeline';
import { ResponseCache } from '../response-cache/response-cache.service';
import { RequestEvents } from '../pipeline/request-events';
import { Responder } from '../pipeline/responder';
import { RouteTable } from '../pipeline/route-table';
import { GracefulShutdown } from './graceful-shutdown';
import { RequestTracker } from './request-tracker';

/** The gateway's HTTP plumbing shared by every feature module: the request pipeline, auth, tracking. */
@Module({
  imports: [DiscoveryModule, ProvidersModule],
  providers: [Pipeline, RouteTable, Admission, Responder, ApiKeyAuthenticator, RequestTracker, ExchangeRecorder, GracefulShutdown, AuditCapture, RequestEvents, ResponseCache],
  // AuditCapture: the realtime relay (and any route outside the pipeline) records its entries through it; Admission: the realtime relay admits sessions.
  exports: [RouteTable, ApiKeyAuthenticator, RequestTracker, GracefulShutdown, AuditCapture, RequestEvents, Admission],
})
export class HttpCoreModule {}
