import type { ProviderConfig } from '@app/config';
import { adaptsReasoningModels } from './reasoning-models';

/** Where an OpenAI-dialect provider's routes live, and which of its quirks apply. */
export interface OpenAIUpstreamProfile {
  /** URL the connection pool is built on; every path below is relative to it. */
  readonly rootUrl: string;
  /** Prefix of the OpenAI-compatible routes (`/chat/completions`, `/models`, `/embeddings`). */
  readonly apiPrefix: string;
  /** Prefix that makes forwarded paths relative to the base URL exactly as configured. */
  readonly forwardPrefix: string;
  /** Embeddings through Ollama's native `/api/embed` instead of `/embeddings`. */
  readonly ollamaEmbeddings: boolean;
  /** Rewrite bodies for OpenAI reasoning models (see reasoning-models.ts). */
  readonly reasoningModels: boolean;
}

/**
 * Ollama users give either `http://host:11434` (what Ollama prints) or its OpenAI-compatible
 * `…/v1`. Both work: chat and models go to `<root>/v1`, embeddings to the native `<root>/api/embed`,
 * and forwarded paths stay relative to what the user configured. Every other type uses its base
 * URL as the OpenAI API root.
 */
export function openAIUpstreamProfile(provider: ProviderConfig): OpenAIUpstreamProfile {
  const reasoningModels = adaptsReasoningModels(provider.type);
  if (provider.type !== 'ollama') {
    return { rootUrl: provider.baseUrl, apiPrefix: '', forwardPrefix: '', ollamaEmbeddings: false, reasoningModels };
  }
  const configured = provider.baseUrl.replace(/\/+$/, '');
  const hasV1 = /\/v1$/.test(configured);
  return {
    rootUrl: hasV1 ? configured.slice(0, -3) : configured,
    apiPrefix: '/v1',
    forwardPrefix: hasV1 ? '/v1' : '',
    ollamaEmbeddings: true,
    reasoningModels,
  };
}
