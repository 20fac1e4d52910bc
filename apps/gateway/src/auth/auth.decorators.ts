import { SetMetadata } from '@nestjs/common';
import type { RouteAccess } from './caller';

export const ROUTE_ACCESS = 'switchyard:route-access';

/** Marks a Nest controller or handler as served without a key (health, metrics, docs, static assets). */
export const Public = (): ClassDecorator & MethodDecorator => SetMetadata(ROUTE_ACCESS, 'public' satisfies RouteAccess);

/** Marks a Nest controller or handler as an admin (control plane) route: the master key or an admin-scoped key. */
export const Admin = (): ClassDecorator & MethodDecorator => SetMetadata(ROUTE_ACCESS, 'admin' satisfies RouteAccess);
