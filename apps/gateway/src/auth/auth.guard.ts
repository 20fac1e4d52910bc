import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayError } from '@app/core';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ROUTE_ACCESS } from './auth.decorators';
import type { RouteAccess } from './caller';

/**
 * Global guard for the Nest-served routes: the route's access comes from its metadata (`@Public()`,
 * otherwise `inference`), never from its path, and is checked by the same
 * authenticator the hot-path routes use.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly metricsAuth: boolean;

  constructor(
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.metricsAuth = config.metricsAuth;
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    // The exporter's controller is a library's, so it cannot carry our marker: public unless METRICS_AUTH.
    if (context.getClass() === PrometheusController) return this.metricsAuth ? this.requireMasterKey(request) : true;
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [context.getHandler(), context.getClass()]) ?? 'inference';
    (request as Request & { caller?: unknown }).caller = this.authenticator.authorize(request, access);
    return true;
  }

  private requireMasterKey(request: Request): boolean {
    if (this.authenticator.authenticate(request.headers).keyId !== 'master') {
      throw new GatewayError('permission', 'Metrics are served to the master key only.', { code: 'master_key_required' });
    }
    return true;
  }
}
