import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayError } from '@app/core';
import { ApiKeyAuthenticator } from './api-key-authenticator';

/**
 * Paths that need a gateway key; operations endpoints (/health, /metrics, /swagger) stay public,
 * except /metrics under METRICS_AUTH.
 */
const PROTECTED_PREFIXES = ['/v1/'];

/** Whether a request to this path needs a gateway key (also checked before the body is read). */
export function requiresGatewayKey(path: string): boolean {
  return PROTECTED_PREFIXES.some((prefix) => path.startsWith(prefix));
}

/** Global guard for the Express-served routes; the hot-path routes call the same authenticator. */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly metricsAuth: boolean;

  constructor(
    private readonly authenticator: ApiKeyAuthenticator,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.metricsAuth = config.metricsAuth;
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    // Matched by controller, not path: Express routing ignores case and a trailing slash.
    if (this.metricsAuth && context.getClass() === PrometheusController) return this.requireMasterKey(request);
    if (!requiresGatewayKey(request.path)) return true;
    (request as Request & { caller?: unknown }).caller = this.authenticator.authenticate(request.headers);
    return true;
  }

  private requireMasterKey(request: Request): boolean {
    if (this.authenticator.authenticate(request.headers).keyId !== 'master') {
      throw new GatewayError('permission', 'Metrics are served to the master key only.', { code: 'master_key_required' });
    }
    return true;
  }
}
