import { SetMetadata } from '@nestjs/common';
import type { RouteAccess, Scope } from './caller';

export const ROUTE_ACCESS = 'switchyard:route-access';

/** Marks a Nest controller or handler as served without a key (health, metrics, docs, static assets). */
export const Public = (): ClassDecorator & MethodDecorator => SetMetadata(ROUTE_ACCESS, 'public' satisfies RouteAccess);

/** Requires a scope on a Nest controller or handler; routes without a marker require `inference`. */
export const RequireScope = (scope: Scope): ClassDecorator & MethodDecorator => SetMetadata(ROUTE_ACCESS, scope satisfies RouteAccess);
