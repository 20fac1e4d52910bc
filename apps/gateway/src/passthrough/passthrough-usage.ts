import { SseParser, type TokenUsage, usageFromAnthropic, usageFromOpenAI } from '@app/core';

/** JSON answers larger than this are relayed without metering rather than held in memory. */
const MAX_JSON_BYTES = 4 * 1024 * 1024;
const USAGE_OBJECT = /"usage"\s*:\s*\{/;

type UsageFields = Record<string, unknown>;

/**
 * Watches the bytes of a passthrough answer as they are relayed and extracts token usage from
 * OpenAI-shaped (Chat Completions, Responses, Embeddings) and Anthropic-shaped (Messages) bodies,
 * JSON or SSE. It never holds a chunk back: SSE events are parsed as they complete, JSON bodies
 * are parsed once the last chunk has been written to the client.
 */
export class PassthroughUsageObserver {
  private readonly sse?: SseParser;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private fields?: UsageFields;

  private constructor(kind: 'sse' | 'json') {
    if (kind === 'sse') this.sse = new SseParser();
  }

  /** An observer for this answer, or undefined when it cannot carry readable usage. */
  static forAnswer(status: number, headers: Record<string, string | string[] | undefined>): PassthroughUsageObserver | undefined {
    if (status < 200 || status >= 300) return undefined;
    const encoding = String(headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity') return undefined;
    const contentType = String(headers['content-type'] ?? '').toLowerCase();
    if (contentType.includes('text/event-stream')) return new PassthroughUsageObserver('sse');
    if (contentType.includes('json')) return new PassthroughUsageObserver('json');
    return undefined;
  }

  push(chunk: Buffer): void {
    if (this.sse) {
      for (const event of this.sse.push(chunk)) this.observeEvent(event.data);
      return;
    }
    this.size += chunk.length;
    if (this.size <= MAX_JSON_BYTES) this.chunks.push(chunk);
    else this.chunks.length = 0;
  }

  /** The usage seen, once the body has ended. */
  finish(): TokenUsage | undefined {
    if (this.sse) {
      for (const event of this.sse.end()) this.observeEvent(event.data);
    } else if (this.size > 0 && this.size <= MAX_JSON_BYTES) {
      this.merge(usageIn(parse(Buffer.concat(this.chunks).toString('utf8'))));
    }
    return this.fields ? usageFromFields(this.fields) : undefined;
  }

  private observeEvent(data: string): void {
    // Most events carry no usage; only those that might are parsed.
    if (USAGE_OBJECT.test(data)) this.merge(usageIn(parse(data)));
  }

  /** Anthropic spreads usage over message_start and message_delta: later fields refine earlier ones. */
  private merge(fields: UsageFields | undefined): void {
    if (fields) this.fields = { ...this.fields, ...fields };
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `usage` at the top (Chat, Embeddings, Messages), in `response` (Responses events) or `message` (message_start). */
function usageIn(payload: unknown): UsageFields | undefined {
  if (!payload || typeof payload !== 'object') return undefined;
  const record = payload as Record<string, unknown>;
  const candidates = [record.usage, (record.response as { usage?: unknown })?.usage, (record.message as { usage?: unknown })?.usage];
  const usage = candidates.find((candidate) => candidate !== null && typeof candidate === 'object');
  return usage as UsageFields | undefined;
}

/** Maps either dialect's usage fields to the gateway's TokenUsage. */
export function usageFromFields(fields: UsageFields): TokenUsage | undefined {
  const openAIShaped = ['prompt_tokens', 'completion_tokens', 'input_tokens_details', 'output_tokens_details'].some((name) => name in fields);
  if (openAIShaped || !('input_tokens' in fields || 'output_tokens' in fields)) return usageFromOpenAI(fields);
  return usageFromAnthropic(fields);
}
