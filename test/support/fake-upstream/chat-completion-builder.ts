import type { OkBehaviour } from './fake-behaviour';
import { errorEnvelope, type OpenAIErrorEnvelope } from './openai-errors';

/** The few request fields the fake's answers depend on, read once per request. */
export interface ChatRequestView {
  model: string;
  stream: boolean;
  includeUsage: boolean;
  promptTokens: number;
  toolName: string;
}

export interface ResponseIds {
  id: string;
  created: number;
  toolCallId: string;
}

export const DEFAULT_CONTENT = 'Hello! This is a reply from the fake OpenAI upstream.';
export const TOOL_ARGUMENTS = '{"location":"Paris","unit":"celsius"}';
const DEFAULT_TOOL_NAME = 'get_weather';
const FINGERPRINT = 'fp_fake0001';

let sequence = 0;

/** Unique, cheap ids (no crypto on the hot path); same shape as OpenAI's `chatcmpl-…` / `call_…`. */
export function nextIds(): ResponseIds {
  const suffix = (++sequence).toString(36).padStart(20, '0');
  return { id: `chatcmpl-fake${suffix}`, created: Math.floor(Date.now() / 1000), toolCallId: `call_fake${suffix}` };
}

function contentChars(content: unknown): number {
  if (typeof content === 'string') return content.length;
  if (!Array.isArray(content)) return 0;
  let chars = 0;
  for (const part of content) if (typeof part?.text === 'string') chars += part.text.length;
  return chars;
}

/** Validates like OpenAI does for the two required fields; returns its error envelope otherwise. */
export function readChatRequest(body: any): ChatRequestView | OpenAIErrorEnvelope {
  if (typeof body?.model !== 'string' || body.model === '') return errorEnvelope('you must provide a model parameter', 'invalid_request_error');
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return errorEnvelope("Missing required parameter: 'messages'.", 'invalid_request_error', 'missing_required_parameter', 'messages');
  }
  let chars = 0;
  for (const message of body.messages) chars += contentChars(message?.content);
  const firstTool = Array.isArray(body.tools) ? body.tools.find((tool: any) => typeof tool?.function?.name === 'string') : undefined;
  return {
    model: body.model,
    stream: body.stream === true,
    includeUsage: body.stream === true && body.stream_options?.include_usage === true,
    // Deterministic stand-in for a tokenizer: tests can compute it from the request they sent.
    promptTokens: Math.max(1, Math.ceil(chars / 4)),
    toolName: firstTool?.function.name ?? DEFAULT_TOOL_NAME,
  };
}

function usageFor(view: ChatRequestView, ok: OkBehaviour, outputChars: number) {
  const cached = ok.cachedTokens ?? 0;
  const reasoning = ok.reasoningTokens ?? 0;
  const promptTokens = Math.max(view.promptTokens, cached);
  const completionTokens = Math.ceil(outputChars / 4) + reasoning;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function outputChars(view: ChatRequestView, ok: OkBehaviour): number {
  return ok.toolCalls ? view.toolName.length + TOOL_ARGUMENTS.length : (ok.content ?? DEFAULT_CONTENT).length;
}

/** A non-streaming `chat.completion` object. */
export function completionBody(view: ChatRequestView, ok: OkBehaviour, ids: ResponseIds): object {
  const message = ok.toolCalls
    ? {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: ids.toolCallId, type: 'function', function: { name: view.toolName, arguments: TOOL_ARGUMENTS } }],
        refusal: null,
        annotations: [],
      }
    : { role: 'assistant', content: ok.content ?? DEFAULT_CONTENT, refusal: null, annotations: [] };
  return {
    id: ids.id,
    object: 'chat.completion',
    created: ids.created,
    model: view.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: ok.toolCalls ? 'tool_calls' : 'stop' }],
    usage: usageFor(view, ok, outputChars(view, ok)),
    service_tier: 'default',
    system_fingerprint: FINGERPRINT,
  };
}

/** Splits text the way token deltas arrive: words with their leading whitespace. */
export function splitContent(content: string): string[] {
  return content.match(/\s*\S+|\s+$/g) ?? [];
}

function splitArguments(args: string): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < args.length; start += 8) pieces.push(args.slice(start, start + 8));
  return pieces;
}

/** Deltas of the only choice, in OpenAI's order; the last one carries the finish_reason. */
function choiceDeltas(view: ChatRequestView, ok: OkBehaviour, ids: ResponseIds): string[] {
  const choice = (delta: string, finish: string | null = null) => `{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish === null ? 'null' : `"${finish}"`}}`;
  if (ok.toolCalls) {
    const head = { index: 0, id: ids.toolCallId, type: 'function', function: { name: view.toolName, arguments: '' } };
    return [
      choice(`{"role":"assistant","content":null,"tool_calls":[${JSON.stringify(head)}]}`),
      ...splitArguments(TOOL_ARGUMENTS).map((part) => choice(`{"tool_calls":[{"index":0,"function":{"arguments":${JSON.stringify(part)}}}]}`)),
      choice('{}', 'tool_calls'),
    ];
  }
  return [
    choice('{"role":"assistant","content":""}'),
    ...splitContent(ok.content ?? DEFAULT_CONTENT).map((part) => choice(`{"content":${JSON.stringify(part)}}`)),
    choice('{}', 'stop'),
  ];
}

/**
 * Every SSE event of a streamed answer, `data: [DONE]` included. Built from string templates
 * because the benchmark drives this path at thousands of requests per second.
 */
export function streamEvents(view: ChatRequestView, ok: OkBehaviour, ids: ResponseIds): string[] {
  const head = `data: {"id":"${ids.id}","object":"chat.completion.chunk","created":${ids.created},"model":${JSON.stringify(view.model)},"service_tier":"default","system_fingerprint":"${FINGERPRINT}","choices":[`;
  const tail = view.includeUsage ? '],"usage":null}\n\n' : ']}\n\n';
  const events = choiceDeltas(view, ok, ids).map((choice) => head + choice + tail);
  if (view.includeUsage) events.push(`${head}],"usage":${JSON.stringify(usageFor(view, ok, outputChars(view, ok)))}}\n\n`);
  events.push('data: [DONE]\n\n');
  return events;
}
