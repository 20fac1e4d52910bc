import type { ProviderConfig } from './app-config';
import { ConfigError } from './config-error';
import { type Env, readString, readUrl } from './env-parsers';

interface ProviderType {
  readonly type: string;
  /** Default base URL; absent when the user must say where the server is. */
  readonly defaultBaseUrl?: string;
  /** Self-hosted servers need no key: a base URL alone enables them. */
  readonly keyOptional?: boolean;
}

/** OpenAI-compatible provider types discovered from `<TYPE>[_SUFFIX]_{API_KEY,BASE_URL,MODELS}`. */
export const OPENAI_COMPATIBLE_TYPES: readonly ProviderType[] = [
  { type: 'openai', defaultBaseUrl: 'https://api.openai.com/v1' },
  { type: 'groq', defaultBaseUrl: 'https://api.groq.com/openai/v1' },
  { type: 'xai', defaultBaseUrl: 'https://api.x.ai/v1' },
  { type: 'deepseek', defaultBaseUrl: 'https://api.deepseek.com/v1' },
  { type: 'openrouter', defaultBaseUrl: 'https://openrouter.ai/api/v1' },
  { type: 'mistral', defaultBaseUrl: 'https://api.mistral.ai/v1' },
  { type: 'together', defaultBaseUrl: 'https://api.together.xyz/v1' },
  { type: 'fireworks', defaultBaseUrl: 'https://api.fireworks.ai/inference/v1' },
  { type: 'ollama', keyOptional: true },
  { type: 'vllm', keyOptional: true },
];

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
  const suffix = prefix.slice(type.length + 1).toLowerCase().replace(/_/g, '-');
  return suffix ? `${type}-${suffix}` : type;
}

function parseModels(raw: string | undefined): string[] {
  if (!raw) return [];
  return [...new Set(raw.split(',').map((model) => model.trim()).filter(Boolean))];
}

/** Builds provider instances from the environment, in a stable order (type list, then name). */
export function discoverProviders(env: Env): ProviderConfig[] {
  const providers: ProviderConfig[] = [];
  for (const spec of OPENAI_COMPATIBLE_TYPES) {
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
        dialect: 'openai',
        baseUrl: baseUrl.replace(/\/+$/, ''),
        apiKey,
        models: parseModels(readString(env, `${prefix}_MODELS`)),
      });
    }
  }
  return providers;
}
