import { fromAnthropicResult, fromOpenAIOutputLine, jsonToolNameOf, toAnthropicBatchParams } from './native-lines';

describe('fromOpenAIOutputLine', () => {
  it('reads a 200 answer with its usage and request id', () => {
    const body = { object: 'chat.completion', usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } };
    expect(fromOpenAIOutputLine({ id: 'batch_req_1', custom_id: 'a', response: { status_code: 200, request_id: 'req_1', body }, error: null })).toEqual({
      customId: 'a',
      outcome: {
        status: 'succeeded',
        statusCode: 200,
        response: body,
        error: null,
        upstreamRequestId: 'req_1',
        usage: expect.objectContaining({ inputTokens: 5, outputTokens: 2 }),
      },
    });
  });

  it('reads an error line (no response) and a non-2xx answer as failed', () => {
    expect(fromOpenAIOutputLine({ custom_id: 'b', response: null, error: { code: 'batch_expired', message: 'not run' } })?.outcome).toMatchObject({
      status: 'failed',
      statusCode: null,
      error: { code: 'batch_expired', message: 'not run' },
    });
    expect(fromOpenAIOutputLine({ custom_id: 'c', response: { status_code: 400, request_id: 'r', body: { error: { message: 'bad' } } }, error: null })?.outcome.status).toBe(
      'failed',
    );
    expect(fromOpenAIOutputLine({ response: null })).toBeUndefined();
  });
});

describe('toAnthropicBatchParams', () => {
  it('sends /v1/messages bodies as they are', () => {
    const body = { model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };
    expect(toAnthropicBatchParams('/v1/messages', body, 4096)).toBe(body);
  });

  it('translates chat bodies (system message, default max_tokens)', () => {
    const params = toAnthropicBatchParams(
      '/v1/chat/completions',
      {
        model: 'claude-x',
        stream: false,
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: 'hi' },
        ],
      },
      4096,
    );
    expect(params).toMatchObject({ model: 'claude-x', system: 'be brief', max_tokens: 4096, messages: [{ role: 'user' }] });
    expect(params).not.toHaveProperty('stream');
  });

  it('names the json tool of a response_format', () => {
    expect(jsonToolNameOf({ response_format: { type: 'json_schema', json_schema: { name: 'person' } } })).toBe('person');
    expect(jsonToolNameOf({ response_format: { type: 'json_object' } })).toBe('json_object');
    expect(jsonToolNameOf({})).toBeUndefined();
  });
});

describe('fromAnthropicResult', () => {
  const message = {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-x',
    content: [{ type: 'text', text: 'Hello' }],
    stop_reason: 'end_turn',
    usage: { input_tokens: 4, output_tokens: 1 },
  };

  it('turns a succeeded message into a chat completion for chat lines, with usage', () => {
    const line = fromAnthropicResult({ custom_id: 'a', result: { type: 'succeeded', message } }, '/v1/chat/completions');
    expect(line?.outcome).toMatchObject({
      status: 'succeeded',
      statusCode: 200,
      upstreamRequestId: 'msg_1',
      usage: expect.objectContaining({ inputTokens: 4, outputTokens: 1 }),
      response: { object: 'chat.completion', choices: [{ message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }] },
    });
  });

  it('keeps the message for /v1/messages lines', () => {
    expect(fromAnthropicResult({ custom_id: 'a', result: { type: 'succeeded', message } }, '/v1/messages')?.outcome.response).toEqual(message);
  });

  it('maps errored results to the error type status, in each dialect', () => {
    const errored = { custom_id: 'e', result: { type: 'errored', error: { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } } } };
    expect(fromAnthropicResult(errored, '/v1/chat/completions')?.outcome).toMatchObject({
      status: 'failed',
      statusCode: 400,
      response: { error: { message: 'max_tokens: Field required', type: 'invalid_request_error' } },
    });
    expect(fromAnthropicResult(errored, '/v1/messages')?.outcome.response).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
    });
  });

  it('reports canceled and expired requests as never run', () => {
    expect(fromAnthropicResult({ custom_id: 'c', result: { type: 'canceled' } }, '/v1/messages')?.outcome.status).toBe('cancelled');
    expect(fromAnthropicResult({ custom_id: 'x', result: { type: 'expired' } }, '/v1/messages')?.outcome.status).toBe('expired');
  });
});
