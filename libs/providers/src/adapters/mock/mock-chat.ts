import { MOCK_CREATED, type MockAnswer, type MockPiece } from './mock-answer';

/** The usage object OpenAI sends, details included (zero where the mock has nothing to report). */
export function mockUsage(answer: MockAnswer): Record<string, unknown> {
  return {
    prompt_tokens: answer.promptTokens,
    completion_tokens: answer.completionTokens,
    total_tokens: answer.promptTokens + answer.completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

/** A `chat.completion` object as OpenAI's API returns it. */
export function mockCompletion(answer: MockAnswer): Record<string, unknown> {
  const message = answer.toolCall
    ? {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: answer.toolCall.id, type: 'function', function: { name: answer.toolCall.name, arguments: answer.toolCall.arguments } }],
        refusal: null,
        annotations: [],
      }
    : { role: 'assistant', content: answer.content, refusal: null, annotations: [] };
  return {
    id: answer.id,
    object: 'chat.completion',
    created: MOCK_CREATED,
    model: answer.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: answer.finishReason }],
    usage: mockUsage(answer),
    service_tier: 'default',
    system_fingerprint: null,
  };
}

/** One stream event to send, and the tokens it carries (what `tps` paces). */
export interface MockEvent {
  readonly data: string;
  readonly tokens: number;
  /** The finish_reason chunk and the usage chunk: never reached when the stream is reset. */
  readonly closing: boolean;
}

/**
 * The `chat.completion.chunk` payloads OpenAI streams, in its order: the role chunk (carrying the
 * tool call's id and name for a tool call), one delta per piece, the finish_reason chunk with an
 * empty delta, then the usage chunk with no choices (the gateway always asks for it).
 */
export function mockChunks(answer: MockAnswer): MockEvent[] {
  const chunk = (delta: Record<string, unknown>, finishReason: string | null) =>
    JSON.stringify({
      id: answer.id,
      object: 'chat.completion.chunk',
      created: MOCK_CREATED,
      model: answer.model,
      service_tier: 'default',
      system_fingerprint: null,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    });
  const tool = answer.toolCall;
  const first = tool
    ? { role: 'assistant', content: null, tool_calls: [{ index: 0, id: tool.id, type: 'function', function: { name: tool.name, arguments: '' } }], refusal: null }
    : { role: 'assistant', content: '', refusal: null };
  const delta = (piece: MockPiece) => (tool ? { tool_calls: [{ index: 0, function: { arguments: piece.text } }] } : { content: piece.text });
  const usage = JSON.stringify({ id: answer.id, object: 'chat.completion.chunk', created: MOCK_CREATED, model: answer.model, choices: [], usage: mockUsage(answer) });
  return [
    { data: chunk(first, null), tokens: 0, closing: false },
    ...answer.pieces.map((piece) => ({ data: chunk(delta(piece), null), tokens: piece.tokens, closing: false })),
    { data: chunk({}, answer.finishReason), tokens: 0, closing: true },
    { data: usage, tokens: 0, closing: true },
  ];
}
