import { SetMetadata } from '@nestjs/common';
import type { RouteAccess } from './caller';

export const ROUTE_ACCESS = 'switchyard:route-access';

/** Marks a Nest controller or handler as served without a key (health, metrics, docs, static assets). */
export const Public = (): ClassDecorator & MethodDecorator => SetMetadata(ROUTE_ACCESS, 'public' satisfies RouteAccess);
