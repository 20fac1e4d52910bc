import type { Node, YAMLMap } from 'yaml';

type Yaml = typeof import('yaml');
let yamlModule: Yaml | undefined;
// Required on first use, not imported: only a gateway with SWITCHYARD_CONFIG parses YAML.
const yaml = (): Yaml => (yamlModule ??= require('yaml') as Yaml);
import { ConfigFileError } from './config-file-error';
import { type ModelPriceConfig, PRICE_KEYS, type PriceKey } from './pricing-config';
import { type AliasConfig, emptyRouting, type ModelCacheConfig, type RoutingConfig, type WeightedTarget } from './routing-config';

const TOP_LEVEL_KEYS = ['aliases', 'fallbacks', 'pricing', 'cache'];
const CACHE_KEYS = ['models'];
const MODEL_CACHE_KEYS = ['enabled', 'ttl', 'allow_nondeterministic', 'scope'];
const PRICING_KEYS = ['models', 'batch_discount_percent'];
const ALIAS_KEYS = ['targets', 'fallbacks'];
const TARGET_KEYS = ['model', 'weight'];

/**
 * Parses and validates the routing file's text. The YAML tree is walked node by node (rather than
 * converted to plain objects first) so that every error can name the key path and the line.
 * `providers` are the configured provider instance names: every target must name one of them.
 * Prices may also be keyed by a provider type (`providerTypes`), covering all its instances.
 */
export function parseRoutingConfig(text: string, file: string, providers: readonly string[], providerTypes: readonly string[] = []): RoutingConfig {
  return new RoutingConfigParser(text, file, new Set(providers), new Set([...providers, ...providerTypes])).parse();
}

class RoutingConfigParser {
  private readonly lines = new (yaml().LineCounter)();
  private readonly routing: RoutingConfig;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly providers: ReadonlySet<string>,
    private readonly priceProviders: ReadonlySet<string>,
  ) {
    this.routing = emptyRouting(file);
  }

  parse(): RoutingConfig {
    const doc = yaml().parseDocument(this.text, { lineCounter: this.lines, uniqueKeys: true });
    const syntax = doc.errors[0];
    if (syntax) throw new ConfigFileError(this.file, '', syntax.linePos?.[0].line, `is not valid YAML: ${syntax.message.split('\n')[0]}`);
    const root = doc.contents;
    if (root === null || (yaml().isScalar(root) && root.value === null)) return this.routing;
    if (!yaml().isMap(root)) this.fail(root, '', 'must be a mapping with the keys aliases, fallbacks, pricing and/or cache');
    this.checkKeys(root, '', TOP_LEVEL_KEYS);
    // Aliases first, whatever the order in the file: fallback keys are checked against alias names.
    const aliases = root.get('aliases', true) as Node | undefined;
    if (aliases !== undefined) this.readAliases(aliases);
    const fallbacks = root.get('fallbacks', true) as Node | undefined;
    if (fallbacks !== undefined) this.readFallbackChains(fallbacks);
    const pricing = root.get('pricing', true) as Node | undefined;
    if (pricing !== undefined) this.readPricing(pricing);
    const cache = root.get('cache', true) as Node | undefined;
    if (cache !== undefined) this.readCache(cache);
    return this.routing;
  }

  /** `cache: { models: { <alias | provider/model | model>: { enabled, ttl, allow_nondeterministic, scope } } }`. */
  private readCache(node: Node): void {
    if (yaml().isScalar(node) && node.value === null) return;
    if (!yaml().isMap(node)) this.fail(node, 'cache', 'must be a mapping with models');
    this.checkKeys(node, 'cache', CACHE_KEYS);
    const models = this.routing.cache as Record<string, ModelCacheConfig>;
    for (const [selector, value] of this.entries((node.get('models', true) as Node | undefined) ?? null, 'cache.models')) {
      const path = `cache.models${segment(selector)}`;
      if (!yaml().isMap(value)) this.fail(value, path, `must be a mapping with ${MODEL_CACHE_KEYS.join(', ')}`);
      this.checkKeys(value, path, MODEL_CACHE_KEYS);
      const flag = (key: string) => this.readOptionalBool(value.get(key, true), `${path}.${key}`);
      const ttl = value.get('ttl', true) as Node | undefined;
      const scope = value.get('scope', true) as Node | undefined;
      const scopeValue = scope === undefined ? undefined : yaml().isScalar(scope) ? scope.value : null;
      if (scopeValue !== undefined && scopeValue !== 'per_key' && scopeValue !== 'shared') this.fail(scope, `${path}.scope`, `must be per_key or shared, got ${describe(scope)}`);
      models[selector] = {
        enabled: flag('enabled'),
        ttlMs: ttl === undefined ? undefined : this.readNumber(ttl, `${path}.ttl`, 1, 31_536_000) * 1000,
        allowNondeterministic: flag('allow_nondeterministic'),
        scope: scopeValue,
      };
    }
  }

  private readOptionalBool(node: Node | undefined, path: string): boolean | undefined {
    if (node === undefined) return undefined;
    const value = yaml().isScalar(node) ? node.value : undefined;
    if (typeof value !== 'boolean') this.fail(node, path, `must be true or false, got ${describe(node)}`);
    return value;
  }

  private readPricing(node: Node): void {
    if (yaml().isScalar(node) && node.value === null) return;
    if (!yaml().isMap(node)) this.fail(node, 'pricing', 'must be a mapping with models and/or batch_discount_percent');
    this.checkKeys(node, 'pricing', PRICING_KEYS);
    const models = this.routing.pricing.models as Record<string, ModelPriceConfig>;
    for (const [selector, value, keyNode] of this.entries((node.get('models', true) as Node | undefined) ?? null, 'pricing.models')) {
      const path = `pricing.models${segment(selector)}`;
      this.readPricedSelector(keyNode, selector, path);
      models[selector] = this.readModelPrice(value, path);
    }
    const discounts = this.routing.pricing.batchDiscountPercent as Record<string, number>;
    for (const [provider, value, keyNode] of this.entries((node.get('batch_discount_percent', true) as Node | undefined) ?? null, 'pricing.batch_discount_percent')) {
      const path = `pricing.batch_discount_percent${segment(provider)}`;
      if (!this.priceProviders.has(provider))
        this.fail(keyNode, path, `must name a configured provider or provider type (known: ${[...this.priceProviders].join(', ') || 'none'})`);
      discounts[provider] = this.readNumber(value, path, 0, 100);
    }
  }

  private readModelPrice(node: Node | null, path: string): ModelPriceConfig {
    if (!yaml().isMap(node)) this.fail(node, path, `must be a mapping of prices in USD per million tokens (${PRICE_KEYS.join(', ')}) or { price_as: provider/model }`);
    this.checkKeys(node, path, [...PRICE_KEYS, 'price_as']);
    const priceAs = node.get('price_as', true) as Node | undefined;
    if (priceAs !== undefined) {
      if (node.items.length > 1) this.fail(node, path, 'sets price_as and prices; give one or the other');
      const value = yaml().isScalar(priceAs) ? priceAs.value : undefined;
      if (typeof value !== 'string' || !/^[^/\s]+\/\S+$/.test(value)) this.fail(priceAs, `${path}.price_as`, `must be a provider/model string, got ${describe(priceAs)}`);
      return { priceAs: value };
    }
    const prices: Partial<Record<PriceKey, number>> = {};
    for (const key of PRICE_KEYS) {
      const value = node.get(key, true) as Node | undefined;
      if (value !== undefined) prices[key] = this.readNumber(value, `${path}.${key}`, 0, Number.MAX_SAFE_INTEGER);
    }
    if (prices.input_mtok === undefined && prices.output_mtok === undefined) this.fail(node, path, 'must set input_mtok and/or output_mtok');
    return { prices };
  }

  /** A `provider/model` key whose provider is a configured instance or type (the model is free: it may not be listed yet). */
  private readPricedSelector(node: Node, selector: string, path: string): void {
    const slash = selector.indexOf('/');
    if (slash <= 0 || slash === selector.length - 1 || !this.priceProviders.has(selector.slice(0, slash)))
      this.fail(node, path, `must be provider/model with a configured provider or provider type (known: ${[...this.priceProviders].join(', ') || 'none'})`);
  }

  private readNumber(node: Node | null, path: string, min: number, max: number): number {
    const value = yaml().isScalar(node) ? node.value : undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) this.fail(node, path, `must be a number from ${min} to ${max}, got ${describe(node)}`);
    return value;
  }

  private readAliases(node: Node): void {
    for (const [name, value, keyNode] of this.entries(node, 'aliases')) {
      const path = `aliases${segment(name)}`;
      if (this.providers.has(name)) this.fail(keyNode, path, `is also the name of a configured provider; an alias must not shadow one`);
      const prefix = name.split('/', 1)[0];
      if (name.includes('/') && this.providers.has(prefix))
        this.fail(keyNode, path, `starts with the provider name '${prefix}/'; an alias must not shadow a provider/model selector`);
      (this.routing.aliases as Record<string, AliasConfig>)[name] = this.readAlias(value, path);
    }
  }

  private readAlias(node: Node | null, path: string): AliasConfig {
    if (!yaml().isMap(node)) this.fail(node, path, 'must be a mapping with targets (and optionally fallbacks)');
    this.checkKeys(node, path, ALIAS_KEYS);
    const targetsNode = node.get('targets', true) as Node | undefined;
    if (!yaml().isSeq(targetsNode) || targetsNode.items.length === 0)
      this.fail(targetsNode ?? node, `${path}.targets`, 'must be a non-empty list of { model: provider/model, weight: number }');
    const targets = targetsNode.items.map((item, index) => this.readTarget(item as Node, `${path}.targets[${index}]`));
    const fallbacksNode = node.get('fallbacks', true) as Node | undefined;
    return { targets, fallbacks: fallbacksNode === undefined ? [] : this.readSelectorList(fallbacksNode, `${path}.fallbacks`) };
  }

  /** A target is `{ model, weight }`, or just the `provider/model` string (weight 1). */
  private readTarget(node: Node, path: string): WeightedTarget {
    if (yaml().isScalar(node)) return { model: this.readSelector(node, path), weight: 1 };
    if (!yaml().isMap(node)) this.fail(node, path, 'must be { model: provider/model, weight: number } or a provider/model string');
    this.checkKeys(node, path, TARGET_KEYS);
    const model = node.get('model', true) as Node | undefined;
    if (model === undefined) this.fail(node, `${path}.model`, 'is required');
    const weightNode = node.get('weight', true) as Node | undefined;
    return { model: this.readSelector(model, `${path}.model`), weight: weightNode === undefined ? 1 : this.readWeight(weightNode, `${path}.weight`) };
  }

  private readWeight(node: Node, path: string): number {
    const value = yaml().isScalar(node) ? node.value : undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) this.fail(node, path, `must be a number greater than 0, got ${describe(node)}`);
    return value;
  }

  private readFallbackChains(node: Node): void {
    for (const [selector, value, keyNode] of this.entries(node, 'fallbacks')) {
      const path = `fallbacks${segment(selector)}`;
      if (selector in this.routing.aliases) this.fail(keyNode, path, `is an alias; put its chain under aliases${segment(selector)}.fallbacks`);
      // A key with a provider prefix must name a model of that provider; any other key is a bare
      // model name as clients send it (which may itself contain a slash, e.g. meta-llama/…).
      if (selector.includes('/') && this.providers.has(selector.split('/', 1)[0])) this.readSelector(keyNode, path);
      (this.routing.fallbacks as Record<string, readonly string[]>)[selector] = this.readSelectorList(value, path);
    }
  }

  private readSelectorList(node: Node | null, path: string): string[] {
    if (node === null || (yaml().isScalar(node) && node.value === null)) return [];
    if (!yaml().isSeq(node)) this.fail(node, path, 'must be a list of provider/model selectors');
    return node.items.map((item, index) => this.readSelector(item as Node, `${path}[${index}]`));
  }

  /** A `provider/model` naming a configured provider. Never an alias: chains cannot loop. */
  private readSelector(node: Node, path: string): string {
    const value = yaml().isScalar(node) ? node.value : undefined;
    if (typeof value !== 'string' || value.trim() === '') this.fail(node, path, `must be a provider/model string, got ${describe(node)}`);
    const selector = value.trim();
    if (selector in this.routing.aliases) this.fail(node, path, `names the alias '${selector}'; targets and fallbacks must be provider/model selectors (aliases do not nest)`);
    const slash = selector.indexOf('/');
    const provider = selector.slice(0, Math.max(slash, 0));
    if (slash <= 0 || slash === selector.length - 1 || !this.providers.has(provider)) {
      const known = [...this.providers].join(', ') || 'none';
      this.fail(node, path, `must be provider/model with a configured provider (configured: ${known}), got '${selector}'`);
    }
    return selector;
  }

  /** The entries of a mapping (null counts as empty) as [string key, value node, key node]. */
  private entries(node: Node | null, path: string): [string, Node | null, Node][] {
    if (node === null || (yaml().isScalar(node) && node.value === null)) return [];
    if (!yaml().isMap(node)) this.fail(node, path, 'must be a mapping');
    return node.items.map((pair) => {
      const key = pair.key as Node;
      const name = yaml().isScalar(key) ? key.value : undefined;
      if (typeof name !== 'string' || name === '') this.fail(key, path, `has a key that is not a non-empty string: ${describe(key)}`);
      return [name, pair.value as Node | null, key];
    });
  }

  private checkKeys(node: YAMLMap, path: string, allowed: readonly string[]): void {
    for (const pair of node.items) {
      const key = yaml().isScalar(pair.key) ? pair.key.value : undefined;
      if (typeof key === 'string' && allowed.includes(key)) continue;
      this.fail(pair.key as Node, `${path}${segment(String(key))}`, `is not a known key (allowed here: ${allowed.join(', ')})`);
    }
  }

  private fail(node: Node | null | undefined, path: string, detail: string): never {
    const offset = node?.range?.[0];
    const line = offset === undefined ? undefined : this.lines.linePos(offset).line;
    throw new ConfigFileError(this.file, path.replace(/^\./, ''), line, detail);
  }
}

/** `.name` for plain keys, `["openai/gpt-4o"]` for keys a dotted path would make ambiguous. */
function segment(key: string): string {
  return /^[A-Za-z_][\w-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function describe(node: Node | null | undefined): string {
  if (node === null || node === undefined) return 'nothing';
  if (yaml().isScalar(node)) return JSON.stringify(node.value) ?? String(node.value);
  return yaml().isMap(node) ? 'a mapping' : yaml().isSeq(node) ? 'a list' : 'an unsupported value';
}
