/** Where the gateway's own vocabulary comes from: configured providers and their model inventory. */
export interface LabelCatalogue {
  hasProvider(name: string): boolean;
  hasModel(provider: string, model: string): boolean;
}

/** The value every label takes when the real one is outside the bounded set. */
export const OTHER_LABEL = 'other';

// Safety nets beyond the catalogue: an upstream listing of thousands of models, or a bug that
// passes raw paths as route templates, still cannot grow the registry without bound.
const MAX_MODEL_LABELS = 1_000;
const MAX_ROUTE_LABELS = 200;

const METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const WORD = /^[a-z][a-z_]{0,31}$/;

/**
 * Maps label values onto bounded sets. Every series lives until the process exits, so one label
 * fed from client input (passthrough copied the client's `model`) grew /metrics to 136 MB after
 * 20,000 distinct strings. Providers must be configured, models listed in that provider's
 * inventory, the rest is `other`. Without a catalogue (a process with no providers) provider and
 * model are always `other`.
 */
export class MetricLabels {
  private catalogue?: LabelCatalogue;
  private readonly models = new Set<string>();
  private readonly routes = new Set<string>();

  useCatalogue(catalogue: LabelCatalogue): void {
    this.catalogue = catalogue;
  }

  provider(name: string): string {
    return this.catalogue?.hasProvider(name) ? name : OTHER_LABEL;
  }

  model(provider: string, model: string): string {
    const key = `${provider}\u0000${model}`;
    if (this.models.has(key)) return model;
    if (!this.catalogue?.hasProvider(provider) || !this.catalogue.hasModel(provider, model)) return OTHER_LABEL;
    if (this.models.size >= MAX_MODEL_LABELS) return OTHER_LABEL;
    this.models.add(key);
    return model;
  }

  /** Route templates come from code, so the cap only guards against a raw path slipping in. */
  route(template: string): string {
    if (this.routes.has(template)) return template;
    if (this.routes.size >= MAX_ROUTE_LABELS) return OTHER_LABEL;
    this.routes.add(template);
    return template;
  }

  method(method: string): string {
    return METHODS.has(method) ? method : OTHER_LABEL;
  }

  /** An HTTP status (an upstream may send any three digits), or `error` for no status at all. */
  status(status: number | 'error'): string {
    if (status === 'error') return status;
    return Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : OTHER_LABEL;
  }

  /** A retry reason: a failure kind from code (a short word) or an upstream status. */
  reason(reason: string): string {
    if (WORD.test(reason)) return reason;
    return /^\d{3}$/.test(reason) ? this.status(Number(reason)) : OTHER_LABEL;
  }
}
