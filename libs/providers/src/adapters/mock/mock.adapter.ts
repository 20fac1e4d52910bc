import type { MockDirectives, ProviderConfig, UpstreamConfig } from '@app/config';
import type {
  ChatCompletionCall,
  ChatCompletionResult,
  EmbeddingsCall,
  JsonResult,
  ProviderAdapter,
  RawUpstreamRequest,
  UpstreamCallContext,
  UpstreamModel,
} from '../provider-adapter';
import type { UpstreamHttpResponse } from '../upstream-http';
import { MOCK_CREATED, mockAnswer } from './mock-answer';
import { type MockEvent, mockChunks, mockCompletion } from './mock-chat';
import { mockEmbeddings } from './mock-embeddings';
import { mockFirstByteTimeout, mockIdleTimeout, mockResetFailure, mockStatusFailure, mockWait } from './mock-failures';
import { mockForward } from './mock-forward';
import { isMockModel, MOCK_MODELS, type MockBehaviour, mockBehaviour } from './mock-model';

/**
 * The built-in mock provider: answers in-process (no sockets, no keys, no network) in exactly the
 * shapes the OpenAI adapter produces, so every route works through the gateway's own translations
 * and its retries, failover, breaker and Retry-After handling apply as for a real provider.
 * Deterministic: the same request gets the same answer, ids and usage. What a call does comes from
 * its model name (`echo`, `tool`, `fail-429`, `slow-2s`, `reset-mid-stream`, `echo;ttft=100ms` …)
 * over MOCK_DIRECTIVES, and the request's `x-mock-directive` header over both; waits honour the call's abort signal and the gateway's upstream timeouts.
 */
export class MockAdapter implements ProviderAdapter {
  private readonly defaults: MockDirectives;

  constructor(
    readonly provider: ProviderConfig,
    private readonly upstream: UpstreamConfig,
  ) {
    this.defaults = provider.mock?.defaults ?? {};
  }

  async chatCompletion(call: ChatCompletionCall, context: UpstreamCallContext): Promise<ChatCompletionResult> {
    const model = typeof call.body.model === 'string' ? call.body.model : '';
    const behaviour = mockBehaviour(model, this.defaults, context.directives);
    await this.beforeFirstByte(behaviour.latencyMs ?? 0, context.signal);
    this.failIfAsked(model, behaviour);
    const answer = await mockAnswer(call.body, model, behaviour.tool === true);
    const events = mockChunks(answer);
    if (call.stream) return { kind: 'stream', status: 200, events: this.stream(events, behaviour, context.signal) };
    // A JSON answer arrives whole: its first byte waits for the first token and for all the others.
    const tokens = events.reduce((total, event) => total + event.tokens, 0);
    await this.beforeFirstByte((behaviour.ttftMs ?? 0) + paceMs(tokens, behaviour), context.signal, behaviour.latencyMs ?? 0);
    if (behaviour.resetAfterEvents !== undefined) throw mockResetFailure(this.provider.name);
    const completion = mockCompletion(answer);
    return { kind: 'json', status: 200, body: Buffer.from(JSON.stringify(completion)), usage: completion.usage };
  }

  async embeddings(call: EmbeddingsCall, context: UpstreamCallContext): Promise<JsonResult> {
    const model = typeof call.body.model === 'string' ? call.body.model : '';
    const behaviour = mockBehaviour(model, this.defaults, context.directives);
    await this.beforeFirstByte(behaviour.latencyMs ?? 0, context.signal);
    this.failIfAsked(model, behaviour);
    if (behaviour.resetAfterEvents !== undefined) throw mockResetFailure(this.provider.name);
    return mockEmbeddings(call.body, model, this.provider.name);
  }

  listModels(): Promise<UpstreamModel[]> {
    return Promise.resolve(MOCK_MODELS.map((id) => ({ id, created: MOCK_CREATED })));
  }

  acceptsModel(model: string): boolean {
    return isMockModel(model);
  }

  /** `/p/mock/…`: the mock's "native API" is OpenAI's, answered in-process like the rest. */
  forward(request: RawUpstreamRequest, context: UpstreamCallContext): Promise<UpstreamHttpResponse> {
    return mockForward(this, request, context);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private failIfAsked(model: string, behaviour: MockBehaviour): void {
    if (behaviour.failStatus !== undefined) throw mockStatusFailure(this.provider.name, model, behaviour.failStatus, behaviour.retryAfterSeconds);
  }

  /** Waits as a slow upstream would, failing as it would once HTTP_FIRST_BYTE_TIMEOUT is spent. */
  private async beforeFirstByte(ms: number, signal: AbortSignal, alreadyWaitedMs = 0): Promise<void> {
    const left = this.upstream.firstByteTimeoutMs - alreadyWaitedMs;
    if (ms <= left) return mockWait(this.provider.name, ms, signal);
    await mockWait(this.provider.name, left, signal);
    throw mockFirstByteTimeout(this.provider.name);
  }

  /**
   * The events, paced: `ttft` before the first, `tps` between the others (a gap longer than
   * HTTP_TIMEOUT fails as an idle upstream does), and with `reset-after` the connection breaks
   * after that many events, always before the stream could finish.
   */
  private async *stream(events: readonly MockEvent[], behaviour: MockBehaviour, signal: AbortSignal): AsyncGenerator<string> {
    for (let index = 0; index < events.length; index++) {
      const event = events[index];
      const reset = behaviour.resetAfterEvents;
      if (reset !== undefined && (index >= reset || event.closing)) throw mockResetFailure(this.provider.name);
      const gap = index === 0 ? (behaviour.ttftMs ?? 0) : paceMs(event.tokens, behaviour);
      if (gap > this.upstream.totalTimeoutMs) {
        await mockWait(this.provider.name, this.upstream.totalTimeoutMs, signal);
        throw mockIdleTimeout(this.provider.name);
      }
      await mockWait(this.provider.name, gap, signal);
      yield event.data;
    }
  }
}

function paceMs(tokens: number, behaviour: MockBehaviour): number {
  return behaviour.tokensPerSecond ? Math.round((tokens * 1000) / behaviour.tokensPerSecond) : 0;
}
