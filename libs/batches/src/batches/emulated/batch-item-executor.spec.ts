import type { MessagesJsonRunner } from '@app/messages';
import { type ChatCompletionClient, type FailoverRunner, type ProviderInstance, type ResolvedTarget, type RouterService, UpstreamFailure } from '@app/providers';
import type { TranslatedRunner } from '@app/responses';
import { BatchItemExecutor } from './batch-item-executor';

const context = { requestId: 'batch_req_1_0', signal: new AbortController().signal };
const anthropic: ResolvedTarget = { provider: { name: 'anthropic', config: { dialect: 'anthropic' } } as unknown as ProviderInstance, model: 'claude-haiku-4-5' };
const openai: ResolvedTarget = { provider: { name: 'openai', config: { dialect: 'openai' } } as unknown as ProviderInstance, model: 'gpt-4o-mini' };
const body = { model: 'claude', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] };

function executor(target: ResolvedTarget, runOnce: MessagesJsonRunner['runOnce']) {
  const router = { plan: jest.fn(() => ({ selector: 'claude', targets: [target] })) };
  const failover = {
    run: async (_plan: unknown, _context: unknown, attempt: (target: ResolvedTarget) => Promise<unknown>, onAttempt?: (target: ResolvedTarget) => void) => {
      onAttempt?.(target);
      return { value: await attempt(target), target };
    },
  };
  const messages = { runOnce: jest.fn(runOnce) };
  const run = new BatchItemExecutor(
    router as unknown as RouterService,
    failover as unknown as FailoverRunner,
    {} as ChatCompletionClient,
    {} as TranslatedRunner,
    messages as unknown as MessagesJsonRunner,
  );
  return { run, router, messages };
}

describe('BatchItemExecutor, /v1/messages lines', () => {
  it('answers with the Anthropic message and its usage from whichever target served', async () => {
    const message = { id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'hey' }] };
    const { run, messages } = executor(openai, () => Promise.resolve({ status: 200, message, usage: { inputTokens: 5, outputTokens: 2, cachedTokens: 0, reasoningTokens: 0 } }));
    expect(await run.run('/v1/messages', body, 0, context)).toEqual({
      kind: 'answered',
      statusCode: 200,
      body: message,
      usage: expect.objectContaining({ inputTokens: 5, outputTokens: 2 }),
      provider: 'openai',
      model: 'gpt-4o-mini',
    });
    expect(messages.runOnce).toHaveBeenCalledWith(openai, body, context);
  });

  it.each([
    [{ model: 'claude', messages: [] }, 'max_tokens: Field required'],
    [{ model: 'claude', max_tokens: 8, messages: 'hi' }, 'messages: Input should be a valid list'],
  ])('answers a body that is not a Messages request with a 400 in Anthropic’s envelope, before any upstream call', async (bad, message) => {
    const { run, router, messages } = executor(anthropic, () => Promise.reject(new Error('not called')));
    expect(await run.run('/v1/messages', bad, 0, context)).toMatchObject({
      kind: 'answered',
      statusCode: 400,
      body: { type: 'error', error: { type: 'invalid_request_error', message } },
    });
    expect(router.plan).not.toHaveBeenCalled();
    expect(messages.runOnce).not.toHaveBeenCalled();
  });

  it("keeps an Anthropic upstream's own server status, as the foreground route does, in Anthropic's envelope", async () => {
    const failure = new UpstreamFailure('status', 'anthropic', 'Internal server error', { status: 502, upstreamStatus: 500 });
    const { run } = executor(anthropic, () => Promise.reject(failure));
    expect(await run.run('/v1/messages', body, 0, context)).toMatchObject({
      kind: 'answered',
      statusCode: 500,
      body: { type: 'error', error: { type: 'api_error', message: 'Internal server error' } },
      provider: 'anthropic',
    });
  });

  it('retries a rate-limited line later instead of answering it', async () => {
    const failure = new UpstreamFailure('status', 'anthropic', 'slow down', { status: 429, upstreamStatus: 429, retryAfterMs: 3_000 });
    const { run } = executor(anthropic, () => Promise.reject(failure));
    expect(await run.run('/v1/messages', body, 0, context)).toMatchObject({ kind: 'retry', rateLimited: true, delayMs: 3_000 });
  });
});
