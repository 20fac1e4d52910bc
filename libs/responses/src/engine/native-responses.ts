import type { ProviderConfig } from '@app/config';

/**
 * Provider types whose upstream serves OpenAI's Responses API with its whole lifecycle (stored
 * responses, `previous_response_id`, retrieve/delete/cancel, background): requests to them are
 * forwarded with only the model rewritten.
 *
 * Every other type is served by translating Responses ⇄ Chat Completions, with the gateway's own
 * store providing the lifecycle: Anthropic, Gemini and Bedrock have no Responses API; Groq,
 * OpenRouter, xAI, DeepSeek, Mistral, Together, Fireworks, Ollama and vLLM either have none or
 * only a stateless subset (no stored responses, no background, no cancel), which would break
 * `previous_response_id`, retrieval and background runs that the gateway can offer for them.
 */
const NATIVE_TYPES: ReadonlySet<string> = new Set(['openai', 'azure']);

export function hasNativeResponses(provider: ProviderConfig): boolean {
  return (provider.dialect === 'openai' || provider.dialect === 'azure') && NATIVE_TYPES.has(provider.type);
}

/**
 * Path of a Responses API route relative to the provider's configured base URL, as
 * ProviderAdapter.forward() takes it. OpenAI's base URL ends in /v1; Azure's Responses API lives on
 * its v1 surface (`/openai/v1/responses`) whatever AZURE_API_VERSION says, and AZURE_BASE_URL may be
 * the resource root or end in `/openai` or `/openai/v1`.
 */
export function nativeResponsesPath(provider: ProviderConfig, subpath = ''): string {
  const route = `/responses${subpath}`;
  if (provider.dialect !== 'azure') return route;
  const base = provider.baseUrl.replace(/\/+$/, '');
  if (/\/openai\/v1$/i.test(base)) return route;
  if (/\/openai$/i.test(base)) return `/v1${route}`;
  return `/openai/v1${route}`;
}
