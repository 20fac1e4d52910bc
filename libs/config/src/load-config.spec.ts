import { ConfigError } from './config-error';
import { buildConfig } from './load-config';

describe('buildConfig', () => {
  it('applies the documented defaults on an empty environment', () => {
    const config = buildConfig({});
    expect(config.port).toBe(8080);
    expect(config.bodySizeLimit).toBe(10 * 1024 * 1024);
    expect(config.jsonMaxDepth).toBe(64);
    expect(config.masterKey).toBeUndefined();
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.metricsEnabled).toBe(true);
    expect(config.swaggerEnabled).toBe(true);
    // With no provider at all, the built-in mock answers (the registry says so loudly at boot).
    expect(config.providers).toEqual([expect.objectContaining({ name: 'mock', type: 'mock', dialect: 'mock', mock: { automatic: true, defaults: {} } })]);
    expect(config.dataDir).toMatch(/data$/);
  });

  it('adds the mock provider only when asked or when nothing else is configured, and never with MOCK_PROVIDER=false', () => {
    expect(buildConfig({ OPENAI_API_KEY: 'sk' }).providers.map((provider) => provider.name)).toEqual(['openai']);
    expect(buildConfig({ MOCK_PROVIDER: 'false' }).providers).toEqual([]);
    const both = buildConfig({ OPENAI_API_KEY: 'sk', MOCK_PROVIDER: 'true' }).providers;
    expect(both.map((provider) => provider.name)).toEqual(['openai', 'mock']);
    expect(both[1].mock?.automatic).toBe(false);
    expect(() => buildConfig({ MOCK_PROVIDER: 'sometimes' })).toThrow(/MOCK_PROVIDER must be true or false/);
  });

  it('reads MOCK_DIRECTIVES as the mock defaults, and refuses a bad one or one with the mock off, naming it', () => {
    const [mock] = buildConfig({ MOCK_DIRECTIVES: 'latency=200ms; ttft=0.1s; tps=50; fail=429; retry-after=1; reset-after=3' }).providers;
    expect(mock.mock?.defaults).toEqual({ latencyMs: 200, ttftMs: 100, tokensPerSecond: 50, failStatus: 429, retryAfterSeconds: 1, resetAfterEvents: 3 });
    expect(() => buildConfig({ MOCK_DIRECTIVES: 'latency=200' })).toThrow(/MOCK_DIRECTIVES is invalid: mock directive 'latency' must be a duration/);
    expect(() => buildConfig({ MOCK_DIRECTIVES: 'fail=200' })).toThrow(/MOCK_DIRECTIVES is invalid: mock directive 'fail' must be a whole number from 400 to 599/);
    expect(() => buildConfig({ MOCK_DIRECTIVES: 'speed=fast' })).toThrow(/unknown mock directive 'speed'/);
    expect(() => buildConfig({ OPENAI_API_KEY: 'sk', MOCK_DIRECTIVES: 'tps=5' })).toThrow(/MOCK_DIRECTIVES is set but the mock provider is off/);
  });

  it.each([
    ['PORT', 'eighty', /PORT must be a whole number/],
    ['BODY_SIZE_LIMIT', 'lots', /BODY_SIZE_LIMIT must be a size/],
    ['JSON_MAX_DEPTH', '0', /JSON_MAX_DEPTH/],
    ['HTTP_TIMEOUT', 'soon', /HTTP_TIMEOUT must be a duration/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
    ['METRICS_ENABLED', 'maybe', /METRICS_ENABLED must be true or false/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL must use postgres:/],
    ['REDIS_URL', 'not a url', /REDIS_URL must be a valid URL/],
  ])('rejects a bad %s with a message naming it', (name, value, message) => {
    expect(() => buildConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => buildConfig({ [name]: value })).toThrow(message);
  });

  it.each([[''], ['   '], ['\t\n']])('refuses a master key that is set but empty (%j): only unset runs open', (value) => {
    expect(() => buildConfig({ SWITCHYARD_MASTER_KEY: value })).toThrow(ConfigError);
    expect(() => buildConfig({ SWITCHYARD_MASTER_KEY: value })).toThrow(/SWITCHYARD_MASTER_KEY is set but empty/);
  });

  it('keeps an unset master key open and trims a real one', () => {
    expect(buildConfig({}).masterKey).toBeUndefined();
    expect(buildConfig({ SWITCHYARD_MASTER_KEY: '  sk-gw  ' }).masterKey).toBe('sk-gw');
  });

  it('keeps /metrics public by default and refuses METRICS_AUTH without a master key to check', () => {
    expect(buildConfig({}).metricsAuth).toBe(false);
    expect(buildConfig({ METRICS_AUTH: 'true', SWITCHYARD_MASTER_KEY: 'sk-gw' }).metricsAuth).toBe(true);
    expect(() => buildConfig({ METRICS_AUTH: 'true' })).toThrow(/METRICS_AUTH needs SWITCHYARD_MASTER_KEY/);
    expect(() => buildConfig({ METRICS_AUTH: 'sometimes', SWITCHYARD_MASTER_KEY: 'sk-gw' })).toThrow(/METRICS_AUTH must be true or false/);
  });

  it('reads the Files API limits, refusing a FILES_MAX_BYTES the 32-bit size column cannot hold', () => {
    expect(buildConfig({}).files).toEqual({ maxBytes: 512 * 1024 * 1024, inlineMaxBytes: 32 * 1024 * 1024 });
    expect(buildConfig({ FILES_MAX_BYTES: '1gb', FILES_INLINE_MAX_BYTES: '8mb' }).files).toEqual({ maxBytes: 1024 ** 3, inlineMaxBytes: 8 * 1024 ** 2 });
    expect(() => buildConfig({ FILES_MAX_BYTES: '2gb' })).toThrow(/FILES_MAX_BYTES must be at most 2147483647 bytes/);
  });

  it('parses sizes and durations with units', () => {
    const config = buildConfig({ BODY_SIZE_LIMIT: '512kb', HTTP_TIMEOUT: '90s', HTTP_CONNECT_TIMEOUT: '500ms' });
    expect(config.bodySizeLimit).toBe(512 * 1024);
    expect(config.upstream.totalTimeoutMs).toBe(90_000);
    expect(config.upstream.connectTimeoutMs).toBe(500);
  });

  it('discovers providers, suffixed instances and model lists from the environment', () => {
    const config = buildConfig({
      OPENAI_API_KEY: 'sk-main',
      OPENAI_EAST_API_KEY: 'sk-east',
      OPENAI_EAST_BASE_URL: 'https://east.example.com/v1/',
      GROQ_API_KEY: 'gsk',
      GROQ_MODELS: 'llama-3.1-8b-instant, mixtral-8x7b ,',
      OLLAMA_BASE_URL: 'http://localhost:11434/v1',
      OPENROUTER_API_KEY: 'or',
    });
    expect(config.providers.map((provider) => provider.name)).toEqual(['openai', 'openai-east', 'groq', 'openrouter', 'ollama']);
    const east = config.providers.find((provider) => provider.name === 'openai-east')!;
    expect(east).toMatchObject({ type: 'openai', baseUrl: 'https://east.example.com/v1', apiKey: 'sk-east' });
    expect(config.providers.find((provider) => provider.name === 'openai')!.baseUrl).toBe('https://api.openai.com/v1');
    expect(config.providers.find((provider) => provider.name === 'groq')!.models).toEqual(['llama-3.1-8b-instant', 'mixtral-8x7b']);
    expect(config.providers.find((provider) => provider.name === 'ollama')!.apiKey).toBeUndefined();
  });

  it('requires a key when a hosted provider is half configured', () => {
    expect(() => buildConfig({ MISTRAL_BASE_URL: 'https://mistral.example.com/v1' })).toThrow(/MISTRAL_API_KEY is required/);
  });

  it('requires a base URL for vLLM, which has no default location', () => {
    expect(() => buildConfig({ VLLM_API_KEY: 'token' })).toThrow(/VLLM_BASE_URL is required/);
  });
});
