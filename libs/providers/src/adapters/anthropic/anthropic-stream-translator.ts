import { UpstreamFailure } from '../../resilience/upstream-failure';
import { anthropicStreamErrorFailure } from './anthropic-errors';
import { toFinishReason } from './anthropic-finish-reason';
import type { AnthropicMessage, AnthropicUsage } from './anthropic-types';
import { mergeUsage, toCanonicalUsage } from './anthropic-usage';

/** What a content block of the stream turns into on the OpenAI side. */
type BlockRole = { kind: 'text' } | { kind: 'thinking' } | { kind: 'json' } | { kind: 'tool'; index: number; sentArguments: boolean } | { kind: 'ignored' };

/**
 * Turns Anthropic stream events into canonical `chat.completion.chunk` payloads, one event at a
 * time, with no buffering: message_start → the role chunk; text / thinking / tool input deltas →
 * content / reasoning_content / tool_calls deltas; message_stop → the finish_reason chunk, then the
 * usage-only chunk. Tool calls are numbered 0, 1, … in the order their blocks start (Anthropic's
 * block index also counts text and thinking blocks), and the first delta of each carries id and name.
 */
export class AnthropicStreamTranslator {
  private readonly created = Math.floor(Date.now() / 1000);
  private readonly blocks = new Map<number, BlockRole>();
  private readonly usage: AnthropicUsage = {};
  private prefix = '';
  private nextToolIndex = 0;
  private stopReason: string | null = null;
  private answeredWithJsonTool = false;
  private started = false;
  /** True once `message_stop` arrived: the stream is complete. */
  done = false;

  constructor(
    private readonly provider: string,
    private readonly jsonToolName?: string,
  ) {}

  translate(event: Record<string, any>): string[] {
    if (!this.started && event.type !== 'message_start' && event.type !== 'ping' && event.type !== 'error') {
      throw this.protocolError(`sent '${String(event.type)}' before 'message_start'`);
    }
    switch (event.type) {
      case 'message_start':
        return this.start(event.message as AnthropicMessage | undefined);
      case 'content_block_start':
        return this.blockStart(event.index, event.content_block ?? {});
      case 'content_block_delta':
        return this.blockDelta(event.index, event.delta ?? {});
      case 'content_block_stop':
        return this.blockStop(event.index);
      case 'message_delta':
        if (event.delta?.stop_reason !== undefined) this.stopReason = event.delta.stop_reason;
        mergeUsage(this.usage, event.usage);
        return [];
      case 'message_stop':
        this.done = true;
        return [this.chunk('{}', toFinishReason(this.stopReason, this.answeredWithJsonTool)), this.usageChunk()];
      case 'error':
        throw anthropicStreamErrorFailure(this.provider, event);
      default:
        // `ping`, and event types Anthropic may add later (its versioning policy says to ignore them).
        return [];
    }
  }

  private start(message: AnthropicMessage | undefined): string[] {
    if (this.started) throw this.protocolError("sent a second 'message_start'");
    this.started = true;
    mergeUsage(this.usage, message?.usage);
    this.prefix = `{"id":${JSON.stringify(message?.id ?? '')},"object":"chat.completion.chunk","created":${this.created},"model":${JSON.stringify(message?.model ?? '')},"choices":[`;
    return [this.chunk('{"role":"assistant","content":""}')];
  }

  private blockStart(index: number, block: Record<string, any>): string[] {
    switch (block.type) {
      case 'text':
        this.blocks.set(index, { kind: 'text' });
        return block.text ? [this.delta({ content: block.text })] : [];
      case 'thinking':
        this.blocks.set(index, { kind: 'thinking' });
        return block.thinking ? [this.delta({ reasoning_content: block.thinking })] : [];
      case 'tool_use':
        return this.toolStart(index, block);
      default:
        // redacted_thinking (encrypted, nothing to show) and block kinds the gateway never asks for.
        this.blocks.set(index, { kind: 'ignored' });
        return [];
    }
  }

  private toolStart(index: number, block: Record<string, any>): string[] {
    if (block.name === this.jsonToolName) {
      this.answeredWithJsonTool = true;
      this.blocks.set(index, { kind: 'json' });
      return [];
    }
    const toolIndex = this.nextToolIndex++;
    this.blocks.set(index, { kind: 'tool', index: toolIndex, sentArguments: false });
    const head = { index: toolIndex, id: String(block.id), type: 'function', function: { name: String(block.name), arguments: '' } };
    return [this.delta({ tool_calls: [head] })];
  }

  private blockDelta(index: number, delta: Record<string, any>): string[] {
    const role = this.blocks.get(index);
    if (!role) throw this.protocolError(`sent a delta for content block ${index} that never started`);
    if (delta.type === 'text_delta' && role.kind === 'text' && delta.text) return [this.delta({ content: delta.text })];
    if (delta.type === 'thinking_delta' && role.kind === 'thinking' && delta.thinking) return [this.delta({ reasoning_content: delta.thinking })];
    if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string' && delta.partial_json !== '') {
      if (role.kind === 'json') return [this.delta({ content: delta.partial_json })];
      if (role.kind === 'tool') {
        role.sentArguments = true;
        return [this.delta({ tool_calls: [{ index: role.index, function: { arguments: delta.partial_json } }] })];
      }
    }
    // signature_delta (only needed to send thinking back natively), citations and empty deltas.
    return [];
  }

  private blockStop(index: number): string[] {
    const role = this.blocks.get(index);
    // A call without parameters may stream no input at all; clients still expect a JSON object.
    if (role?.kind === 'tool' && !role.sentArguments) {
      role.sentArguments = true;
      return [this.delta({ tool_calls: [{ index: role.index, function: { arguments: '{}' } }] })];
    }
    return [];
  }

  private delta(delta: Record<string, unknown>): string {
    return this.chunk(JSON.stringify(delta));
  }

  private chunk(delta: string, finishReason: string | null = null): string {
    const finish = finishReason === null ? 'null' : `"${finishReason}"`;
    return `${this.prefix}{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}]}`;
  }

  private usageChunk(): string {
    return `${this.prefix}],"usage":${JSON.stringify(toCanonicalUsage(this.usage))}}`;
  }

  private protocolError(what: string): UpstreamFailure {
    return new UpstreamFailure('protocol', this.provider, `Upstream provider '${this.provider}' ${what}.`);
  }
}
