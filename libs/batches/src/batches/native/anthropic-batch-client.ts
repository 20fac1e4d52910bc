import { GatewayError } from '@app/core';
import { anthropicStatusFailure, type ProviderInstance, type UpstreamCallContext } from '@app/providers';
import type { BatchEndpoint } from '../batch-limits';
import { type NativeBatchClient, type NativeCreateRequest, NativeLineError } from './native-batch-client';
import { callJson, jsonlObjects } from './native-http';
import { fromAnthropicResult, type NativeResultLine, toAnthropicBatchParams } from './native-lines';
import { fromAnthropicBatch, type NativeSnapshot } from './native-snapshot';

/**
 * Anthropic's Message Batches: `POST /v1/messages/batches` with `requests: [{custom_id, params}]`
 * (chat lines translated like foreground requests), results read as JSONL when it has ended.
 */
export class AnthropicBatchClient implements NativeBatchClient {
  readonly endpoints: readonly BatchEndpoint[] = ['/v1/chat/completions', '/v1/messages'];

  constructor(
    private readonly instance: ProviderInstance,
    private readonly defaultMaxTokens: number,
  ) {}

  async create(request: NativeCreateRequest, context: UpstreamCallContext): Promise<{ nativeId: string; snapshot: NativeSnapshot }> {
    const requests = request.lines.map((line, index) => {
      try {
        return { custom_id: line.customId, params: toAnthropicBatchParams(request.endpoint, line.body, this.defaultMaxTokens) };
      } catch (error) {
        throw error instanceof GatewayError ? new NativeLineError(index, error) : error;
      }
    });
    const created = await this.call('POST', '/messages/batches', context, JSON.stringify({ requests }));
    if (typeof created.id !== 'string') throw new Error(`Provider '${this.instance.name}' answered the batch creation without an id.`);
    return { nativeId: created.id, snapshot: fromAnthropicBatch(created) };
  }

  async retrieve(nativeId: string, context: UpstreamCallContext): Promise<NativeSnapshot> {
    return fromAnthropicBatch(await this.call('GET', `/messages/batches/${encodeURIComponent(nativeId)}`, context));
  }

  async cancel(nativeId: string, context: UpstreamCallContext): Promise<NativeSnapshot> {
    return fromAnthropicBatch(await this.call('POST', `/messages/batches/${encodeURIComponent(nativeId)}/cancel`, context));
  }

  /**
   * Reads the documented results path rather than following `results_url`: the URL comes from the
   * provider's answer, and the provider's key must only ever go to its configured base URL.
   */
  async *results(
    nativeId: string,
    _snapshot: NativeSnapshot,
    endpoint: BatchEndpoint,
    jsonToolName: (customId: string) => string | undefined,
    context: UpstreamCallContext,
  ): AsyncGenerator<NativeResultLine> {
    for await (const raw of jsonlObjects(this.instance, anthropicStatusFailure, `/messages/batches/${encodeURIComponent(nativeId)}/results`, context)) {
      const line = fromAnthropicResult(raw, endpoint, typeof raw.custom_id === 'string' ? jsonToolName(raw.custom_id) : undefined);
      if (line) yield line;
    }
  }

  private call(method: 'GET' | 'POST', path: string, context: UpstreamCallContext, body?: string): Promise<Record<string, unknown>> {
    return callJson(this.instance, anthropicStatusFailure, { method, path, body }, context);
  }
}
