import { Readable } from 'node:stream';
import type { ChatCompletionClient, ProviderInstance, RawUpstreamRequest, ResolvedTarget, UpstreamHttpResponse } from '@app/providers';
import { UpstreamFailure } from '@app/providers';
import { MessagesJsonRunner } from './messages-json-runner';

const context = { requestId: 'req-1', signal: new AbortController().signal };

function answer(status: number, body: unknown): UpstreamHttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: Readable.from([Buffer.from(JSON.stringify(body))]) } as unknown as UpstreamHttpResponse;
}

function target(dialect: string, forward?: (request: RawUpstreamRequest) => UpstreamHttpResponse): ResolvedTarget & { sent: RawUpstreamRequest[] } {
  const sent: RawUpstreamRequest[] = [];
  const adapter = {
    forward: (request: RawUpstreamRequest) => {
      sent.push(request);
      return Promise.resolve(forward!(request));
    },
  };
  const provider = { name: dialect === 'anthropic' ? 'anthropic' : 'openai', config: { dialect }, adapter } as unknown as ProviderInstance;
  return { provider, model: 'upstream-model', sent };
}

const request = { model: 'client-model', max_tokens: 32, stop_sequences: ['END'], messages: [{ role: 'user', content: 'hi' }] };

describe('MessagesJsonRunner', () => {
  it('sends the body natively to an Anthropic provider with model rewritten and stream off, and reads its usage', async () => {
    const message = { id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'hey' }], usage: { input_tokens: 7, output_tokens: 3 } };
    const anthropic = target('anthropic', () => answer(200, message));
    const run = await new MessagesJsonRunner({} as ChatCompletionClient).runOnce(anthropic, request, context);
    expect(JSON.parse(anthropic.sent[0].body as string)).toEqual({ ...request, model: 'upstream-model', stream: false });
    expect(anthropic.sent[0].path).toBe('/messages');
    expect(run).toMatchObject({ status: 200, message, usage: { inputTokens: 7, outputTokens: 3 } });
  });

  it("throws an Anthropic upstream's error answer as its UpstreamFailure (retried and failed over like any attempt)", async () => {
    const anthropic = target('anthropic', () => answer(400, { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } }));
    const failure = await new MessagesJsonRunner({} as ChatCompletionClient).runOnce(anthropic, request, context).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamFailure);
    expect(failure).toMatchObject({ status: 400, upstreamType: 'invalid_request_error', message: 'max_tokens: Field required' });
  });

  it('translates for any other provider: chat body out, Anthropic message back with the stop sequence and usage', async () => {
    const sent: Record<string, unknown>[] = [];
    const completion = {
      choices: [{ index: 0, message: { role: 'assistant', content: 'Echo: hi' }, finish_reason: 'stop', stop_reason: 'END' }],
      usage: { prompt_tokens: 12, completion_tokens: 4 },
    };
    const chat = {
      completeParsedOnce: (_provider: unknown, body: Record<string, unknown>) => {
        sent.push(body);
        return Promise.resolve({ status: 200, completion });
      },
    } as unknown as ChatCompletionClient;
    const run = await new MessagesJsonRunner(chat).runOnce(target('openai'), request, context);
    expect(sent).toEqual([{ model: 'upstream-model', max_tokens: 32, stop: ['END'], messages: [{ role: 'user', content: 'hi' }] }]);
    expect(run.status).toBe(200);
    expect(run.message).toMatchObject({
      id: expect.stringMatching(/^msg_/),
      type: 'message',
      role: 'assistant',
      model: 'client-model',
      content: [{ type: 'text', text: 'Echo: hi' }],
      stop_reason: 'stop_sequence',
      stop_sequence: 'END',
      usage: { input_tokens: 12, output_tokens: 4 },
    });
    expect(run.usage).toMatchObject({ inputTokens: 12, outputTokens: 4 });
  });

  it('refuses, naming the field, what the target cannot express (the next target of the plan may)', async () => {
    const chat = { completeParsedOnce: jest.fn() } as unknown as ChatCompletionClient;
    await expect(new MessagesJsonRunner(chat).runOnce(target('openai'), { ...request, container: 'c1' }, context)).rejects.toMatchObject({
      status: 400,
      param: 'container',
    });
  });
});
