/**
 * Server events as OpenAI's Realtime API reference (GA) shows them, built by the fake realtime
 * upstream. `event_id` first, as in the reference's examples; the usage numbers are the reference's.
 */
let counter = 0;
const eventId = () => `event_${(++counter).toString(36)}`;

export const REFERENCE_USAGE = {
  total_tokens: 253,
  input_tokens: 132,
  output_tokens: 121,
  input_token_details: { text_tokens: 119, audio_tokens: 13, image_tokens: 0, cached_tokens: 64, cached_tokens_details: { text_tokens: 64, audio_tokens: 0, image_tokens: 0 } },
  output_token_details: { text_tokens: 30, audio_tokens: 91 },
};

export function sessionCreated(model: string, transcription: boolean): object {
  const session = transcription
    ? {
        type: 'transcription',
        object: 'realtime.transcription_session',
        id: 'sess_fake_t',
        audio: { input: { format: { type: 'audio/pcm', rate: 24000 }, transcription: { model } } },
      }
    : { type: 'realtime', object: 'realtime.session', id: 'sess_fake', model, output_modalities: ['audio'], instructions: '', tools: [], max_output_tokens: 'inf' };
  return { event_id: eventId(), type: 'session.created', session };
}

export function sessionUpdated(session: Record<string, unknown>): object {
  return { event_id: eventId(), type: 'session.updated', session: { type: 'realtime', object: 'realtime.session', id: 'sess_fake', ...session } };
}

export function itemAdded(item: Record<string, unknown>): object[] {
  const stored = { id: item.id ?? 'item_fake', object: 'realtime.item', status: 'completed', ...item };
  return [
    { event_id: eventId(), type: 'conversation.item.added', previous_item_id: null, item: stored },
    { event_id: eventId(), type: 'conversation.item.done', previous_item_id: null, item: stored },
  ];
}

/** A whole response: text deltas, or audio deltas (base64 PCM) with their transcript, then `response.done` with usage. */
export function responseEvents(text: string, audio: boolean, usage: object): object[] {
  const response = { object: 'realtime.response', id: 'resp_fake', status: 'in_progress', output: [] as object[], usage: null };
  const item = {
    id: 'item_out',
    type: 'message',
    role: 'assistant',
    status: 'completed',
    content: [audio ? { type: 'output_audio', transcript: text } : { type: 'output_text', text }],
  };
  const part = { response_id: 'resp_fake', item_id: 'item_out', output_index: 0, content_index: 0 };
  const deltas = text
    .split(' ')
    .map((word, index) =>
      audio
        ? { event_id: eventId(), type: 'response.output_audio.delta', ...part, delta: Buffer.alloc(4800, index).toString('base64') }
        : { event_id: eventId(), type: 'response.output_text.delta', ...part, delta: index === 0 ? word : ` ${word}` },
    );
  return [
    { event_id: eventId(), type: 'response.created', response },
    { event_id: eventId(), type: 'response.output_item.added', response_id: 'resp_fake', output_index: 0, item: { ...item, status: 'in_progress', content: [] } },
    ...deltas,
    audio ? { event_id: eventId(), type: 'response.output_audio.done', ...part } : { event_id: eventId(), type: 'response.output_text.done', ...part, text },
    { event_id: eventId(), type: 'response.output_item.done', response_id: 'resp_fake', output_index: 0, item },
    { event_id: eventId(), type: 'response.done', response: { ...response, status: 'completed', output: [item], usage } },
  ];
}

export function transcriptionEvents(text: string): object[] {
  return [
    { event_id: eventId(), type: 'input_audio_buffer.committed', previous_item_id: null, item_id: 'item_in' },
    { event_id: eventId(), type: 'conversation.item.input_audio_transcription.delta', item_id: 'item_in', content_index: 0, delta: text },
    {
      event_id: eventId(),
      type: 'conversation.item.input_audio_transcription.completed',
      item_id: 'item_in',
      content_index: 0,
      transcript: text,
      usage: { type: 'tokens', total_tokens: 26, input_tokens: 17, input_token_details: { text_tokens: 0, audio_tokens: 17 }, output_tokens: 9 },
    },
  ];
}
