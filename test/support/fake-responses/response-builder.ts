import { randomBytes } from 'node:crypto';

export type Json = Record<string, any>;

const id = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`;

export const NATIVE_TEXT = 'Native answer from the fake Responses API.';

/** A completed response object shaped as OpenAI's API reference shows it. */
export function completedResponse(request: Json, text = NATIVE_TEXT, responseId = id('resp_')): Json {
  const words = text.split(' ').length;
  return {
    id: responseId,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'completed',
    background: request.background === true,
    error: null,
    incomplete_details: null,
    model: request.model,
    output: [{ id: id('msg_'), type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [], logprobs: [] }] }],
    previous_response_id: request.previous_response_id ?? null,
    store: request.store !== false,
    usage: { input_tokens: 11, input_tokens_details: { cached_tokens: 2 }, output_tokens: words, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 11 + words },
  };
}

/** The SSE events of a streamed response, in the documented order. */
export function streamEvents(final: Json): string[] {
  const message = final.output[0];
  const text: string = message.content[0].text;
  const shell = { ...final, status: 'in_progress', output: [], usage: null };
  const events: Json[] = [
    { type: 'response.created', response: shell },
    { type: 'response.in_progress', response: shell },
    { type: 'response.output_item.added', output_index: 0, item: { ...message, status: 'in_progress', content: [] } },
    { type: 'response.content_part.added', item_id: message.id, output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } },
    ...text.split(/(?= )/).map((delta) => ({ type: 'response.output_text.delta', item_id: message.id, output_index: 0, content_index: 0, delta, logprobs: [] })),
    { type: 'response.output_text.done', item_id: message.id, output_index: 0, content_index: 0, text, logprobs: [] },
    { type: 'response.content_part.done', item_id: message.id, output_index: 0, content_index: 0, part: message.content[0] },
    { type: 'response.output_item.done', output_index: 0, item: message },
    { type: 'response.completed', response: final },
  ];
  return events.map((event, index) => `event: ${event.type}\ndata: ${JSON.stringify({ ...event, sequence_number: index })}\n\n`);
}
