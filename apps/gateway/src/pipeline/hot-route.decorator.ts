import { DiscoveryService } from '@nestjs/core';
import type { RouteAccess } from '../auth/caller';
import type { HotRouteDoc } from '../openapi/hot-route-doc';

/** The dialect of a route decides the error envelope its clients get. */
export type ErrorDialect = 'openai' | 'anthropic';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** How the pipeline reads a route's body: a JSON object (parsed once), or left to the handler. */
export type BodyMode = 'json' | 'stream';

export interface HotRouteOptions {
  readonly method: HttpMethod | readonly HttpMethod[];
  /** The route's template, used for metrics, the usage `endpoint` and documentation. */
  readonly path: string;
  /**
   * When set, the route serves every path that starts with this prefix (the longest prefix wins),
   * e.g. `/p/` for `/p/{provider}/…`. Exact routes are always matched first.
   */
  readonly prefix?: string;
  readonly dialect: ErrorDialect;
  /** Requests on this route write a usage record when they end. */
  readonly usage: boolean;
  /** Who may call it; `inference` unless said otherwise. */
  readonly auth?: RouteAccess;
  /** `json` (the default): the pipeline reads and parses the body before the handler runs. */
  readonly body?: BodyMode;
  /** OpenAPI description for Swagger (per method when the route serves several). */
  readonly doc?: HotRouteDoc | ((method: HttpMethod) => HotRouteDoc);
}

/**
 * Marks a controller method as a route served straight from node:http by the request pipeline
 * (see pipeline.ts), ahead of Express: the inference routes, where Express's per-request cost was
 * the largest item of the gateway's overhead. Found at boot by RouteTable, as @nestjs/bullmq finds
 * @Processor classes. The method takes the Exchange and returns a RouteOutcome.
 */
export const HotRoute = DiscoveryService.createDecorator<HotRouteOptions>();
