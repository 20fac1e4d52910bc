import type { HotRouteDoc } from '../openapi/hot-route-doc';
import type { Exchange } from './exchange';

/** The dialect of a route decides the error envelope its clients get. */
export type ErrorDialect = 'openai' | 'anthropic';

/**
 * A route served directly on node:http, ahead of Express: the inference routes, where Express's
 * per-request cost was the largest item of the gateway's overhead (see README, Performance).
 */
export interface HotRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
  /** The route's template, used for metrics, the usage `endpoint` and documentation. */
  readonly path: string;
  /**
   * When set, the route serves every path that starts with this prefix (the longest registered
   * prefix wins), e.g. `/p/` for `/p/{provider}/…`. Exact routes are always matched first.
   */
  readonly prefix?: string;
  readonly dialect: ErrorDialect;
  /** Requests on this route write a usage record when they end. */
  readonly recordsUsage: boolean;
  /** OpenAPI description for Swagger. */
  readonly doc?: HotRouteDoc;
  handle(exchange: Exchange): Promise<void>;
}
