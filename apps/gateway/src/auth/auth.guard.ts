import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ApiKeyAuthenticator } from './api-key-authenticator';

/** Paths that need a gateway key; operations endpoints (/health, /metrics, /swagger) stay public. */
const PROTECTED_PREFIXES = ['/v1/'];

/** Whether a request to this path needs a gateway key (also checked before the body is read). */
export function requiresGatewayKey(path: string): boolean {
  return PROTECTED_PREFIXES.some((prefix) => path.startsWith(prefix));
}

/** Global guard for the Express-served routes; the hot-path routes call the same authenticator. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly authenticator: ApiKeyAuthenticator) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (!requiresGatewayKey(request.path)) return true;
    (request as Request & { caller?: unknown }).caller = this.authenticator.authenticate(request.headers);
    return true;
  }
}
