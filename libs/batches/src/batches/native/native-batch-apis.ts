import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ProviderRegistry, type UpstreamCallContext } from '@app/providers';
import type { BatchEndpoint } from '../batch-limits';
import { AnthropicBatchClient } from './anthropic-batch-client';
import type { NativeBatchClient } from './native-batch-client';
import { OpenAIBatchClient } from './openai-batch-client';

/** Provider types whose batch API speaks OpenAI's Batch API; Anthropic has its own. */
const OPENAI_BATCH_TYPES: ReadonlySet<string> = new Set(['openai', 'groq', 'azure']);

/**
 * Which providers run batches natively, and their batch API clients. A provider qualifies when
 * BATCH_MODE is `auto`, its `<PREFIX>_BATCH_NATIVE` is on (the default for OpenAI, Azure OpenAI,
 * Groq and Anthropic) and its API runs the batch's endpoint.
 */
@Injectable()
export class NativeBatchApis {
  private readonly clients = new Map<string, NativeBatchClient | null>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ProviderRegistry,
  ) {}

  /** The client that runs a new batch of `endpoint` on `provider` natively; undefined means emulate it. */
  forNewBatch(provider: string, endpoint: BatchEndpoint): NativeBatchClient | undefined {
    if (this.config.batches.mode === 'emulate' || this.registry.get(provider)?.config.batchNative !== true) return undefined;
    const client = this.client(provider);
    return client?.endpoints.includes(endpoint) ? client : undefined;
  }

  /** The client of a provider already running a native batch (whatever the switches say now, the batch lives there). */
  client(provider: string): NativeBatchClient | undefined {
    if (!this.clients.has(provider)) this.clients.set(provider, this.build(provider) ?? null);
    return this.clients.get(provider) ?? undefined;
  }

  /** A provider call's context: a bounded time, an id the provider can log. */
  context(requestId: string): UpstreamCallContext {
    return { requestId, signal: AbortSignal.timeout(this.config.upstream.totalTimeoutMs) };
  }

  private build(provider: string): NativeBatchClient | undefined {
    const instance = this.registry.get(provider);
    if (!instance) return undefined;
    if (OPENAI_BATCH_TYPES.has(instance.config.type)) return new OpenAIBatchClient(instance);
    if (instance.config.type === 'anthropic') return new AnthropicBatchClient(instance, this.config.upstream.defaultMaxTokens);
    return undefined;
  }
}
