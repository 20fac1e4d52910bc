import type { ProviderConfig, ProviderDialect } from './app-config';
import { ConfigError } from './config-error';
import { type Env, readBool, readString, readUrl } from './env-parsers';
import { parseMockDirectives } from './mock-directives';

interface ProviderType {
  readonly type: string;
  readonly dialect: ProviderDialect;
  /** Default base URL; absent when the user must say where the server is. */
  readonly defaultBaseUrl?: string;
  /** Self-hosted servers need no key: a base URL alone enables them. */
  readonly keyOptional?: boolean;
  /** Serves OpenAI's audio API unless `<PREFIX>_AUDIO=false`. */
  readonly audio?: boolean;
  /** Has a batch API Switchyard speaks (OpenAI's Batch API or Anthropic's Message Batches). */
  readonly batchNative?: boolean;
}

/**
 * Provider types discovered from `<TYPE>[_SUFFIX]_{API_KEY,BASE_URL,MODELS}`, in routing order.
 * Bedrock is discovered separately (AWS credentials, no API key variable of its own).
 */
export const KEYED_PROVIDER_TYPES: readonly ProviderType[] = [
  { type: 'openai', dialect: 'openai', defaultBaseUrl: 'https://api.openai.com/v1', audio: true, batchNative: true },
  { type: 'groq', dialect: 'openai', defaultBaseUrl: 'https://api.groq.com/openai/v1', audio: true, batchNative: true },
  { type: 'xai', dialect: 'openai', defaultBaseUrl: 'https://api.x.ai/v1' },
  { type: 'deepseek', dialect: 'openai', defaultBaseUrl: 'https://api.deepseek.com/v1' },
  { type: 'openrouter', dialect: 'openai', defaultBaseUrl: 'https://openrouter.ai/api/v1' },
  { type: 'mistral', dialect: 'openai', defaultBaseUrl: 'https://api.mistral.ai/v1' },
  { type: 'together', dialect: 'openai', defaultBaseUrl: 'https://api.together.xyz/v1' },
  { type: 'fireworks', dialect: 'openai', defaultBaseUrl: 'https://api.fireworks.ai/inference/v1' },
  { type: 'ollama', dialect: 'openai', keyOptional: true },
  { type: 'vllm', dialect: 'openai', keyOptional: true },
  { type: 'anthropic', dialect: 'anthropic', defaultBaseUrl: 'https://api.anthropic.com', batchNative: true },
  { type: 'gemini', dialect: 'gemini', defaultBaseUrl: 'https://generativelanguage.googleapis.com' },
  // Azure resources have no common endpoint: AZURE_BASE_URL is required (https://<resource>.openai.azure.com).
  { type: 'azure', dialect: 'azure', audio: true, batchNative: true },
];

const DEFAULT_AZURE_API_VERSION = '2024-10-21';

const FIELD_SUFFIXES = ['_API_KEY', '_BASE_URL', '_MODELS'] as const;

/** Finds every `<TYPE>` or `<TYPE>_<SUFFIX>` prefix that has at least one provider variable set. */
function findInstancePrefixes(env: Env, type: string): string[] {
  const upper = type.toUpperCase();
  const prefixes = new Set<string>();
  for (const name of Object.keys(env)) {
    const field = FIELD_SUFFIXES.find((suffix) => name.endsWith(suffix));
    if (!field || !readString(env, name)) continue;
    const prefix = name.slice(0, -field.length);
    const suffix = prefix.slice(upper.length + 1);
    const isInstance = prefix === upper || (prefix.startsWith(`${upper}_`) && /^[A-Z0-9]+(?:_[A-Z0-9]+)*$/.test(suffix));
    if (isInstance) prefixes.add(prefix);
  }
  return [...prefixes].sort((a, b) => a.length - b.length || a.localeCompare(b));
}

function instanceName(type: string, prefix: string): string {
  const suffix = prefix
    .slice(type.length + 1)
    .toLowerCase()
    .replace(/_/g, '-');
  return suffix ? `${type}-${suffix}` : type;
}

function parseModels(raw: string | undefined): string[] {
  if (!raw) return [];
  return [
    ...new Set(
      raw
        .split(',')
        .map((model) => model.trim())
        .filter(Boolean),
    ),
  ];
}

/** Builds provider instances from the environment, in a stable order (type list, then name). */
export function discoverProviders(env: Env): ProviderConfig[] {
  const providers: ProviderConfig[] = [];
  for (const spec of KEYED_PROVIDER_TYPES) {
    for (const prefix of findInstancePrefixes(env, spec.type)) {
      const apiKey = readString(env, `${prefix}_API_KEY`);
      const explicitUrl = readUrl(env, `${prefix}_BASE_URL`, ['http:', 'https:']);
      const enabled = apiKey !== undefined || (spec.keyOptional && explicitUrl !== undefined);
      if (!enabled) {
        // A base URL or model list without a key is almost always a forgotten key: say so.
        if (!spec.keyOptional) throw new ConfigError(`${prefix}_API_KEY`, `is required when ${prefix}_BASE_URL or ${prefix}_MODELS is set`);
        continue;
      }
      const baseUrl = explicitUrl ?? spec.defaultBaseUrl;
      if (!baseUrl) throw new ConfigError(`${prefix}_BASE_URL`, `is required for a ${spec.type} provider`);
      providers.push({
        name: instanceName(spec.type, prefix),
        type: spec.type,
        dialect: spec.dialect,
        baseUrl: baseUrl.replace(/\/+$/, ''),
        apiKey,
        models: parseModels(readString(env, `${prefix}_MODELS`)),
        audio: readAudioFlag(env, prefix, spec),
        batchNative: readBatchNativeFlag(env, prefix, spec),
        azure: spec.dialect === 'azure' ? { apiVersion: readString(env, `${prefix}_API_VERSION`) ?? DEFAULT_AZURE_API_VERSION } : undefined,
      });
    }
  }
  const bedrock = discoverBedrock(env);
  if (bedrock) providers.push(bedrock);
  const mock = discoverMock(env, providers.length > 0);
  if (mock) providers.push(mock);
  return providers;
}

/**
 * `<PREFIX>_AUDIO`: whether the instance serves OpenAI's audio API. Only OpenAI-dialect servers
 * (and Azure) can; for the others the flag would promise routes their adapters cannot serve.
 */
function readAudioFlag(env: Env, prefix: string, spec: ProviderType): boolean {
  const audio = readBool(env, `${prefix}_AUDIO`, spec.audio === true);
  if (audio && spec.dialect !== 'openai' && spec.dialect !== 'azure') {
    throw new ConfigError(`${prefix}_AUDIO`, `cannot be on: a ${spec.type} provider does not speak OpenAI's audio API`);
  }
  return audio;
}

/**
 * `<PREFIX>_BATCH_NATIVE`: whether batches routed wholly to this instance run on its own batch API.
 * Only types whose batch API Switchyard speaks can turn it on.
 */
function readBatchNativeFlag(env: Env, prefix: string, spec: ProviderType): boolean {
  const native = readBool(env, `${prefix}_BATCH_NATIVE`, spec.batchNative === true);
  if (native && spec.batchNative !== true) {
    throw new ConfigError(`${prefix}_BATCH_NATIVE`, `cannot be on: Switchyard does not speak a ${spec.type} provider's batch API`);
  }
  return native;
}

/**
 * The built-in mock provider: on with MOCK_PROVIDER=true, off with false, and when unset it is
 * added only if no other provider is configured, so a fresh checkout answers the README's first
 * request with no keys and no network (the registry logs that loudly). Last in routing order.
 */
function discoverMock(env: Env, othersConfigured: boolean): ProviderConfig | undefined {
  const explicit = readString(env, 'MOCK_PROVIDER') === undefined ? undefined : readBool(env, 'MOCK_PROVIDER', false);
  const directivesText = readString(env, 'MOCK_DIRECTIVES');
  if (explicit === false || (explicit === undefined && othersConfigured)) {
    if (directivesText !== undefined) throw new ConfigError('MOCK_DIRECTIVES', 'is set but the mock provider is off (set MOCK_PROVIDER=true)');
    return undefined;
  }
  let defaults;
  try {
    defaults = parseMockDirectives(directivesText ?? '');
  } catch (error) {
    throw new ConfigError('MOCK_DIRECTIVES', `is invalid: ${(error as Error).message}`);
  }
  return { name: 'mock', type: 'mock', dialect: 'mock', baseUrl: 'mock://in-process/v1', models: [], mock: { automatic: explicit === undefined, defaults } };
}

/**
 * Bedrock is enabled by a region (BEDROCK_REGION, else AWS_REGION) plus credentials: a Bedrock API
 * key (AWS_BEARER_TOKEN_BEDROCK) or an access key pair from the standard AWS variables.
 */
function discoverBedrock(env: Env): ProviderConfig | undefined {
  const region = readString(env, 'BEDROCK_REGION') ?? readString(env, 'AWS_REGION');
  const bearerToken = readString(env, 'AWS_BEARER_TOKEN_BEDROCK');
  const accessKeyId = readString(env, 'AWS_ACCESS_KEY_ID');
  const secretAccessKey = readString(env, 'AWS_SECRET_ACCESS_KEY');
  const explicitlyWanted = readString(env, 'BEDROCK_REGION') !== undefined || readString(env, 'BEDROCK_MODELS') !== undefined;
  if (!bearerToken && !(accessKeyId && secretAccessKey)) {
    if (explicitlyWanted)
      throw new ConfigError('AWS_ACCESS_KEY_ID', 'and AWS_SECRET_ACCESS_KEY (or AWS_BEARER_TOKEN_BEDROCK) are required when BEDROCK_REGION or BEDROCK_MODELS is set');
    return undefined;
  }
  if (!region) {
    if (explicitlyWanted || bearerToken) throw new ConfigError('BEDROCK_REGION', '(or AWS_REGION) is required for Bedrock');
    return undefined;
  }
  const baseUrl = readUrl(env, 'BEDROCK_BASE_URL', ['http:', 'https:']) ?? `https://bedrock-runtime.${region}.amazonaws.com`;
  return {
    name: 'bedrock',
    type: 'bedrock',
    dialect: 'bedrock',
    baseUrl: baseUrl.replace(/\/+$/, ''),
    models: parseModels(readString(env, 'BEDROCK_MODELS')),
    bedrock: { region, accessKeyId, secretAccessKey, sessionToken: readString(env, 'AWS_SESSION_TOKEN'), bearerToken },
  };
}
