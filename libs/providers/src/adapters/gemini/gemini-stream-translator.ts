import { generateId } from '@app/core';
import { finishReasonFromGemini, isFunctionCallPart, toolCallFromPart, usageFromGemini } from './gemini-mapping';
import type { GeminiGenerateContentResponse, GeminiUsageMetadata } from './gemini-types';

/**
 * Turns the GenerateContentResponse events of one Gemini stream into canonical
 * `chat.completion.chunk` payloads, event by event: a role chunk first, then text, reasoning and
 * tool-call deltas as they arrive, and on a clean end the finish chunk and one usage-only chunk.
 */
export class GeminiStreamTranslator {
  private readonly id = generateId('chatcmpl-');
  private readonly created = Math.floor(Date.now() / 1000);
  private readonly head: string;
  private started = false;
  private toolCalls = 0;
  private finishReason?: string;
  private blocked = false;
  private usage?: GeminiUsageMetadata;

  constructor(model: string) {
    this.head = `{"id":"${this.id}","object":"chat.completion.chunk","created":${this.created},"model":${JSON.stringify(model)},"choices":`;
  }

  /** True once the upstream said the answer is over (a finish reason, or a blocked prompt). */
  get complete(): boolean {
    return this.finishReason !== undefined || this.blocked;
  }

  /** Chunks for one upstream event. */
  translate(event: GeminiGenerateContentResponse): string[] {
    const chunks: string[] = [];
    if (!this.started) {
      this.started = true;
      chunks.push(this.choice({ role: 'assistant', content: '' }));
    }
    if (event.usageMetadata) this.usage = event.usageMetadata;
    if (event.promptFeedback?.blockReason !== undefined) this.blocked = true;
    const candidate = event.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) {
      if (isFunctionCallPart(part)) {
        // Gemini sends each call whole, so one delta carries its index, id, name and all arguments.
        chunks.push(this.choice({ tool_calls: [{ index: this.toolCalls++, ...toolCallFromPart(part) }] }));
      } else if (typeof part.text === 'string' && part.text !== '') {
        chunks.push(this.choice(part.thought === true ? { reasoning_content: part.text } : { content: part.text }));
      }
    }
    if (candidate?.finishReason) this.finishReason = candidate.finishReason;
    return chunks;
  }

  /** The finish chunk and the usage-only chunk, after the upstream stream ended cleanly. */
  finish(): string[] {
    const reason = this.blocked && this.finishReason === undefined ? 'content_filter' : finishReasonFromGemini(this.finishReason, this.toolCalls > 0);
    return [this.choice({}, reason), `${this.head}[],"usage":${JSON.stringify(usageFromGemini(this.usage))}}`];
  }

  private choice(delta: object, finishReason: string | null = null): string {
    const finish = finishReason === null ? 'null' : `"${finishReason}"`;
    return `${this.head}[{"index":0,"delta":${JSON.stringify(delta)},"logprobs":null,"finish_reason":${finish}}]}`;
  }
}
