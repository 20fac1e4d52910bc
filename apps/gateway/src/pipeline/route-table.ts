import { Injectable } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ROUTE_ACCESS } from '../auth/auth.decorators';
import type { RouteAccess } from '../auth/caller';
import type { HotRouteDoc } from '../openapi/hot-route-doc';
import type { Exchange } from './exchange';
import { HotRoute, type HotRouteOptions, type HttpMethod } from './hot-route.decorator';
import type { RouteOutcome } from './route-result';

/** A discovered hot route, its handler bound once at boot. */
export interface BoundRoute {
  readonly method: HttpMethod;
  readonly path: string;
  readonly prefix?: string;
  readonly dialect: HotRouteOptions['dialect'];
  readonly usage: boolean;
  readonly access: RouteAccess;
  readonly readsJson: boolean;
  readonly doc?: HotRouteDoc;
  /** `Controller.method`, for error messages. */
  readonly name: string;
  readonly handle: (exchange: Exchange) => RouteOutcome | Promise<RouteOutcome>;
}

/**
 * The hot-path route table, built once from @HotRoute-decorated controller methods (found with
 * DiscoveryService + MetadataScanner, as @nestjs/bullmq finds processors). Matching is a Map
 * lookup; prefix routes (passthrough) are consulted only when no exact route matches.
 * Also knows which Nest controller paths are @Public(), so the pipeline can refuse an
 * unauthenticated body before Express reads it everywhere else.
 */
@Injectable()
export class RouteTable {
  private readonly exact = new Map<string, BoundRoute>();
  /** Longest prefix first. */
  private readonly prefixed: BoundRoute[] = [];
  private publicNestPrefixes: string[] = [];
  private built = false;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  match(method: string | undefined, path: string): BoundRoute | undefined {
    const route = this.exact.get(`${method} ${path}`);
    if (route !== undefined || this.prefixed.length === 0) return route;
    for (const candidate of this.prefixed) {
      if (candidate.method === method && path.startsWith(candidate.prefix!)) return candidate;
    }
    return undefined;
  }

  /** Every route, for documentation (Swagger). */
  all(): BoundRoute[] {
    this.build();
    return [...this.exact.values(), ...this.prefixed];
  }

  /** True when Express may route this path to a @Public() Nest handler. */
  mayBePublicNestRoute(path: string): boolean {
    return this.publicNestPrefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
  }

  /** Discovers the routes; idempotent. Throws (so boot fails) when two handlers claim one route. */
  build(): void {
    if (this.built) return;
    this.built = true;
    for (const wrapper of [...this.discovery.getControllers(), ...this.discovery.getProviders()]) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.metatype) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      this.notePublic(wrapper.metatype as object, prototype);
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const options = this.reflector.get(HotRoute, (prototype as Record<string, unknown>)[method] as () => unknown) as HotRouteOptions | undefined;
        if (options) this.add(options, `${(wrapper.metatype as { name: string }).name}.${method}`, instance, method);
      }
    }
    this.prefixed.sort((a, b) => b.prefix!.length - a.prefix!.length);
  }

  private add(options: HotRouteOptions, name: string, instance: Record<string, unknown>, method: string): void {
    const handle = (instance[method] as (exchange: Exchange) => RouteOutcome | Promise<RouteOutcome>).bind(instance);
    const methods = typeof options.method === 'string' ? [options.method] : options.method;
    for (const verb of methods) {
      const route: BoundRoute = {
        method: verb,
        path: options.path,
        prefix: options.prefix,
        dialect: options.dialect,
        usage: options.usage,
        access: options.auth ?? 'inference',
        readsJson: (options.body ?? 'json') === 'json',
        doc: typeof options.doc === 'function' ? options.doc(verb) : options.doc,
        name,
        handle,
      };
      const key = `${verb} ${options.prefix === undefined ? options.path : `${options.prefix}*`}`;
      const existing = options.prefix === undefined ? this.exact.get(key) : this.prefixed.find((other) => other.method === verb && other.prefix === options.prefix);
      if (existing) throw new Error(`Two handlers for the hot route ${key}: ${existing.name} and ${name}. Each method and path may have one handler.`);
      if (options.prefix === undefined) this.exact.set(key, route);
      else this.prefixed.push(route);
    }
  }

  /** Records the paths of @Public() Nest controllers and handlers (static part, up to the first parameter). */
  private notePublic(metatype: object, prototype: object): void {
    const classPublic = this.reflector.get<RouteAccess>(ROUTE_ACCESS, metatype as never) === 'public';
    const base = pathOf(Reflect.getMetadata(PATH_METADATA, metatype));
    if (classPublic && base !== undefined) this.publicNestPrefixes.push(base);
    if (classPublic || base === undefined) return;
    for (const method of this.scanner.getAllMethodNames(prototype)) {
      const handler = (prototype as Record<string, () => unknown>)[method];
      if (this.reflector.get<RouteAccess>(ROUTE_ACCESS, handler) !== 'public') continue;
      const sub = pathOf(Reflect.getMetadata(PATH_METADATA, handler)) ?? '';
      this.publicNestPrefixes.push(`${base === '/' ? '' : base}${sub}` || '/');
    }
  }
}

/** `/health`, from Nest's `health` or `['health']`; cut before the first `:param` or wildcard. */
function pathOf(value: unknown): string | undefined {
  const raw: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== 'string') return undefined;
  const trimmed = raw.replace(/^\/+|\/+$/g, '');
  const cut = trimmed.search(/[:*]/);
  const fixed = (cut === -1 ? trimmed : trimmed.slice(0, cut)).replace(/\/+$/, '');
  return `/${fixed}`;
}
