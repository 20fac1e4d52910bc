/**
 * Gateway provider type → provider id in @pydantic/genai-prices. An instance's name (`openai-east`)
 * is never looked up: its type is. Self-hosted types (ollama, vllm) and the mock have no list
 * price; they are priced only by an operator override.
 */
const PACKAGE_PROVIDER_BY_TYPE: Readonly<Record<string, string>> = {
  openai: 'openai',
  // The package's Azure entry falls back to OpenAI's (and others') models by name.
  azure: 'azure',
  anthropic: 'anthropic',
  gemini: 'google',
  bedrock: 'aws',
  groq: 'groq',
  xai: 'x-ai',
  deepseek: 'deepseek',
  openrouter: 'openrouter',
  mistral: 'mistral',
  together: 'together',
  fireworks: 'fireworks',
};

/** The package's provider id for a gateway provider type (or an id of the package itself, as `price_as` may name). */
export function packageProviderId(typeOrId: string): string | undefined {
  return PACKAGE_PROVIDER_BY_TYPE[typeOrId] ?? (Object.values(PACKAGE_PROVIDER_BY_TYPE).includes(typeOrId) ? typeOrId : undefined);
}

/**
 * Published batch discounts, by provider type, in percent: the package has no batch prices.
 * OpenAI, Anthropic, Groq and Gemini bill batch runs at half price; the YAML `pricing.batch_discount_percent`
 * adds or replaces entries (per type or instance name).
 */
export const DEFAULT_BATCH_DISCOUNT_PERCENT: Readonly<Record<string, number>> = {
  openai: 50,
  azure: 50,
  anthropic: 50,
  groq: 50,
  gemini: 50,
};
