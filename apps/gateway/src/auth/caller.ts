import type { KeyLimits } from '@app/governance';

/** What a key may do: call models, or manage the gateway (admin routes). */
export type Scope = 'inference' | 'admin';

/** Who a route admits: anyone (public), or a caller holding that scope. */
export type RouteAccess = 'public' | Scope;

/** Who is calling, as the pipeline and every route see it. */
export interface Caller {
  /** Recorded with usage: "master", a managed key's id, or null when the gateway runs open (or the route is public). */
  readonly keyId: string | null;
  /** The managed key's name (audit, dashboards); null for the master key and open gateways. */
  readonly keyName?: string | null;
  /** The end user the request is for (a managed key's user path, or `x-switchyard-user-path` within it), recorded with usage. */
  readonly userPath: string | null;
  readonly scopes: ReadonlySet<Scope>;
  /** Model selectors this key may call (`openai/*`, `anthropic/claude-*`, aliases); null or absent = every model. */
  readonly allowedModels?: readonly string[] | null;
  /** The key's own rate limits; null or absent = none. */
  readonly limits?: KeyLimits | null;
}

export const ALL_SCOPES: ReadonlySet<Scope> = new Set<Scope>(['inference', 'admin']);
export const INFERENCE_ONLY: ReadonlySet<Scope> = new Set<Scope>(['inference']);
export const NO_SCOPES: ReadonlySet<Scope> = new Set<Scope>();

/** The caller of a public route: nobody in particular. */
export const ANONYMOUS: Caller = { keyId: null, userPath: null, scopes: NO_SCOPES };
