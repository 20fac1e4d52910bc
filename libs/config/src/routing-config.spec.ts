import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-error';
import { ConfigFileError } from './config-file-error';
import { buildConfig } from './load-config';
import { parseRoutingConfig } from './routing-config-parser';

const PROVIDERS = ['openai', 'anthropic', 'gemini', 'groq'];
const FILE = '/etc/switchyard.yaml';
const parse = (text: string) => parseRoutingConfig(text, FILE, PROVIDERS);

/** The ConfigFileError a text raises (fails the test when it raises none). */
function errorOf(text: string): ConfigFileError {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigFileError);
    return error as ConfigFileError;
  }
  throw new Error('expected a ConfigFileError');
}

const ISSUE_EXAMPLE = `
aliases:
  smart:                                  # clients send model: "smart"
    targets:
      - { model: openai/gpt-4o, weight: 3 }
      - { model: anthropic/claude-sonnet-4-5, weight: 1 }
    fallbacks: [gemini/gemini-2.5-pro]    # tried in order when the picked target fails
fallbacks:                                # chains for plain model selectors
  openai/gpt-4o-mini: [groq/llama-3.3-70b-versatile, anthropic/claude-haiku-4-5]
`;

describe('routing config file', () => {
  it('reads aliases with weighted targets and fallback chains', () => {
    const routing = parse(ISSUE_EXAMPLE);
    expect(routing.aliases.smart).toEqual({
      targets: [
        { model: 'openai/gpt-4o', weight: 3 },
        { model: 'anthropic/claude-sonnet-4-5', weight: 1 },
      ],
      fallbacks: ['gemini/gemini-2.5-pro'],
    });
    expect(routing.fallbacks['openai/gpt-4o-mini']).toEqual(['groq/llama-3.3-70b-versatile', 'anthropic/claude-haiku-4-5']);
    expect(routing.file).toBe(FILE);
  });

  it('accepts a bare target string (weight 1), bare-model chain keys and an empty file', () => {
    const routing = parse('aliases:\n  fast:\n    targets: [groq/llama-3]\nfallbacks:\n  gpt-4o-mini: [groq/llama-3]\n');
    expect(routing.aliases.fast).toEqual({ targets: [{ model: 'groq/llama-3', weight: 1 }], fallbacks: [] });
    expect(routing.fallbacks['gpt-4o-mini']).toEqual(['groq/llama-3']);
    expect(parse('# nothing yet\n')).toMatchObject({ aliases: {}, fallbacks: {} });
  });

  it('holds no inherited names: a client asking for "constructor" finds no alias', () => {
    expect(parse(ISSUE_EXAMPLE).aliases.constructor).toBeUndefined();
  });

  it.each([
    [
      'a negative weight',
      'aliases:\n  smart:\n    targets:\n      - { model: openai/gpt-4o, weight: 3 }\n      - { model: groq/llama, weight: -1 }\n',
      'aliases.smart.targets[1].weight',
      5,
      /greater than 0, got -1/,
    ],
    ['a zero weight', 'aliases:\n  smart:\n    targets:\n      - { model: openai/gpt-4o, weight: 0 }\n', 'aliases.smart.targets[0].weight', 4, /greater than 0/],
    ['a weight that is not a number', 'aliases:\n  smart:\n    targets:\n      - { model: openai/gpt-4o, weight: "3" }\n', 'aliases.smart.targets[0].weight', 4, /got "3"/],
    ['empty targets', 'aliases:\n  smart:\n    targets: []\n', 'aliases.smart.targets', 3, /non-empty list/],
    ['missing targets', 'aliases:\n  smart:\n    fallbacks: [openai/gpt-4o]\n', 'aliases.smart.targets', 3, /non-empty list/],
    ['an unknown top-level key', 'aliases: {}\nroutes:\n  x: 1\n', 'routes', 2, /not a known key \(allowed here: aliases, fallbacks, pricing, cache\)/],
    ['an unknown key in an alias', 'aliases:\n  smart:\n    target: [openai/gpt-4o]\n', 'aliases.smart.target', 3, /not a known key/],
    [
      'an unknown provider',
      'aliases:\n  smart:\n    targets: [mistral/large]\n',
      'aliases.smart.targets[0]',
      3,
      /configured provider \(configured: openai, anthropic, gemini, groq\), got 'mistral\/large'/,
    ],
    ['a selector without a provider', 'aliases:\n  smart:\n    targets: [{ model: gpt-4o }]\n', 'aliases.smart.targets[0].model', 3, /provider\/model/],
    ['a fallback with an unknown provider', 'fallbacks:\n  openai/gpt-4o-mini: [groq/llama, nobody/x]\n', 'fallbacks["openai/gpt-4o-mini"][1]', 2, /got 'nobody\/x'/],
    ['an alias named like a provider', 'aliases:\n  openai:\n    targets: [groq/llama]\n', 'aliases.openai', 2, /name of a configured provider/],
    ['an alias shadowing provider/model', 'aliases:\n  openai/gpt-4o:\n    targets: [groq/llama]\n', 'aliases["openai/gpt-4o"]', 2, /shadow a provider\/model selector/],
    [
      'an alias pointing at an alias',
      'aliases:\n  a:\n    targets: [openai/gpt-4o]\n  b:\n    targets: [openai/gpt-4o]\n    fallbacks: [a]\n',
      'aliases.b.fallbacks[0]',
      6,
      /names the alias 'a'.*aliases do not nest/,
    ],
    ['a chain keyed by an alias', 'aliases:\n  a:\n    targets: [openai/gpt-4o]\nfallbacks:\n  a: [groq/llama]\n', 'fallbacks.a', 5, /is an alias/],
    ['a chain that is not a list', 'fallbacks:\n  openai/gpt-4o: groq/llama\n', 'fallbacks["openai/gpt-4o"]', 2, /must be a list/],
    ['a chain keyed by an unknown model of a provider', 'fallbacks:\n  openai/: [groq/llama]\n', 'fallbacks["openai/"]', 2, /provider\/model/],
  ])('rejects %s, naming the key path and the line', (_case, text, keyPath, line, detail) => {
    const error = errorOf(text);
    expect(error.keyPath).toBe(keyPath);
    expect(error.line).toBe(line);
    expect(error.message).toContain(`SWITCHYARD_CONFIG (${FILE}, line ${line}): ${keyPath} `);
    expect(error.message).toMatch(detail);
  });

  it('rejects YAML syntax errors and duplicate keys with the line', () => {
    expect(errorOf('aliases:\n  smart: [\n')).toMatchObject({ line: expect.any(Number), message: expect.stringMatching(/is not valid YAML/) });
    expect(errorOf('aliases:\n  a:\n    targets: [openai/x]\n  a:\n    targets: [openai/y]\n')).toMatchObject({ line: 4, message: expect.stringMatching(/unique/) });
    expect(errorOf('- just\n- a list\n')).toMatchObject({ keyPath: '', message: expect.stringMatching(/must be a mapping/) });
  });
});

describe('SWITCHYARD_CONFIG', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-routing-'));

  it('is optional: without it the routing is empty', () => {
    expect(buildConfig({}).routing).toMatchObject({ file: undefined, aliases: {}, fallbacks: {} });
  });

  it('names the variable when the file does not exist', () => {
    const missing = join(dir, 'missing.yaml');
    expect(() => buildConfig({ SWITCHYARD_CONFIG: missing })).toThrow(ConfigError);
    expect(() => buildConfig({ SWITCHYARD_CONFIG: missing })).toThrow(`SWITCHYARD_CONFIG names ${missing}, which does not exist`);
  });

  it('validates the file against the providers discovered from env', () => {
    const file = join(dir, 'switchyard.yaml');
    writeFileSync(file, 'aliases:\n  smart:\n    targets: [openai/gpt-4o, anthropic/claude]\n');
    expect(buildConfig({ SWITCHYARD_CONFIG: file, OPENAI_API_KEY: 'a', ANTHROPIC_API_KEY: 'b' }).routing.aliases.smart.targets).toHaveLength(2);
    expect(() => buildConfig({ SWITCHYARD_CONFIG: file, OPENAI_API_KEY: 'a' })).toThrow(
      /line 3\): aliases\.smart\.targets\[1\] must be provider\/model with a configured provider \(configured: openai\)/,
    );
  });
});

describe('routing config file: pricing', () => {
  const parsePricing = (text: string) => parseRoutingConfig(text, FILE, [...PROVIDERS, 'openai-east', 'azure-prod'], ['openai', 'azure', 'vllm']);
  const pricingError = (text: string): ConfigFileError => {
    try {
      parsePricing(text);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigFileError);
      return error as ConfigFileError;
    }
    throw new Error('expected a ConfigFileError');
  };

  it('reads operator prices, price_as mappings and batch discounts, keyed by instance or type', () => {
    const { pricing } = parsePricing(`
pricing:
  models:
    openai-east/gpt-4o: { input_mtok: 2, output_mtok: 8, cache_read_mtok: 1 }
    vllm/llama-3-70b: { input_mtok: 0.5, output_mtok: 0.5 }
    azure-prod/prod-4o: { price_as: openai/gpt-4o }
  batch_discount_percent:
    openai: 50
    azure-prod: 0
`);
    expect(pricing.models['openai-east/gpt-4o']).toEqual({ prices: { input_mtok: 2, output_mtok: 8, cache_read_mtok: 1 } });
    expect(pricing.models['vllm/llama-3-70b']).toEqual({ prices: { input_mtok: 0.5, output_mtok: 0.5 } });
    expect(pricing.models['azure-prod/prod-4o']).toEqual({ priceAs: 'openai/gpt-4o' });
    expect({ ...pricing.batchDiscountPercent }).toEqual({ openai: 50, 'azure-prod': 0 });
  });

  it('has no pricing when the section is absent', () => {
    expect(parsePricing('aliases: {}').pricing).toEqual({ models: {}, batchDiscountPercent: {} });
  });

  it.each([
    ['pricing:\n  model: {}\n', 'pricing.model', 2, 'is not a known key'],
    ['pricing:\n  models:\n    nowhere/gpt-4o: { input_mtok: 1 }\n', 'pricing.models["nowhere/gpt-4o"]', 3, 'configured provider or provider type'],
    ['pricing:\n  models:\n    openai/gpt-4o: { input_mtok: -1 }\n', 'pricing.models["openai/gpt-4o"].input_mtok', 3, 'must be a number from 0'],
    ['pricing:\n  models:\n    openai/gpt-4o: { input_mtok: "2.5" }\n', 'pricing.models["openai/gpt-4o"].input_mtok', 3, 'must be a number'],
    ['pricing:\n  models:\n    openai/gpt-4o: { input_mtoks: 2.5 }\n', 'pricing.models["openai/gpt-4o"].input_mtoks', 3, 'is not a known key'],
    ['pricing:\n  models:\n    openai/gpt-4o: { cache_read_mtok: 1 }\n', 'pricing.models["openai/gpt-4o"]', 3, 'must set input_mtok and/or output_mtok'],
    ['pricing:\n  models:\n    openai/x: { price_as: gpt-4o }\n', 'pricing.models["openai/x"].price_as', 3, 'must be a provider/model string'],
    ['pricing:\n  models:\n    openai/x: { price_as: openai/gpt-4o, input_mtok: 1 }\n', 'pricing.models["openai/x"]', 3, 'one or the other'],
    ['pricing:\n  batch_discount_percent:\n    openai: 150\n', 'pricing.batch_discount_percent.openai', 3, 'from 0 to 100'],
  ])('refuses %j naming %s (line %i)', (text, keyPath, line, detail) => {
    const error = pricingError(text);
    expect(error).toMatchObject({ keyPath, line });
    expect(error.message).toContain(detail);
    expect(error.message).toContain(FILE);
  });
});

describe('routing config file: cache', () => {
  it('reads per-model cache settings (ttl in seconds)', () => {
    const routing = parse('cache:\n  models:\n    openai/gpt-4o-mini: { ttl: 600, scope: shared }\n    smart: { enabled: false }\n    gpt-4o: { allow_nondeterministic: true }\n');
    expect(routing.cache['openai/gpt-4o-mini']).toEqual({ enabled: undefined, ttlMs: 600_000, allowNondeterministic: undefined, scope: 'shared' });
    expect(routing.cache.smart.enabled).toBe(false);
    expect(routing.cache['gpt-4o'].allowNondeterministic).toBe(true);
  });

  it.each([
    ['an unknown key', 'cache:\n  models:\n    x: { ttl: 5, colour: red }\n', 'cache.models.x.colour'],
    ['a bad scope', 'cache:\n  models:\n    x: { scope: everyone }\n', 'cache.models.x.scope'],
    ['a ttl of 0', 'cache:\n  models:\n    x: { ttl: 0 }\n', 'cache.models.x.ttl'],
    ['a non-boolean flag', 'cache:\n  models:\n    x: { enabled: "yes" }\n', 'cache.models.x.enabled'],
  ])('rejects %s, naming the key path', (_name, text, keyPath) => {
    expect(errorOf(text).message).toContain(`${keyPath} `);
  });

  it('reads the CACHE_* env settings, off by default, and refuses a TTL under a second', () => {
    expect(buildConfig({}).cache.responses).toMatchObject({ enabled: false, ttlMs: 3_600_000, scope: 'per_key', hitsConsumeTokenLimits: false });
    expect(buildConfig({ CACHE_ENABLED: 'true', CACHE_TTL: '5m', CACHE_SCOPE: 'shared' }).cache.responses).toMatchObject({ enabled: true, ttlMs: 300_000, scope: 'shared' });
    expect(() => buildConfig({ CACHE_TTL: '0' })).toThrow(ConfigError);
    expect(() => buildConfig({ CACHE_SCOPE: 'global' })).toThrow(/CACHE_SCOPE/);
  });
});
