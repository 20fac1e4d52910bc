import { adaptReasoningBody, adaptsReasoningModels, isReasoningModel } from './reasoning-models';

describe('reasoning models', () => {
  it.each(['o1', 'o1-mini', 'o3', 'o3-mini-2025-01-31', 'o4-mini', 'gpt-5', 'gpt-5-mini', 'gpt-5-nano-2025-08-07', 'gpt-5.1', 'gpt-5.2-pro', 'ft:o4-mini:acme::abc'])(
    '%s is a reasoning model',
    (model) => {
      expect(isReasoningModel(model)).toBe(true);
    },
  );

  it.each(['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-5-chat-latest', 'gpt-5.1-chat-latest', 'omni-moderation-latest', 'o', 'ollama-o1', 'gpt-50'])('%s is not', (model) => {
    expect(isReasoningModel(model)).toBe(false);
  });

  it('applies to openai and azure providers only', () => {
    expect(adaptsReasoningModels('openai')).toBe(true);
    expect(adaptsReasoningModels('azure')).toBe(true);
    expect(adaptsReasoningModels('groq')).toBe(false);
    expect(adaptsReasoningModels('ollama')).toBe(false);
  });

  it('renames max_tokens, drops sampling parameters and keeps reasoning_effort and unknown fields', () => {
    const body = {
      model: 'o3-mini',
      messages: [{ role: 'user', content: 'x' }],
      max_tokens: 300,
      temperature: 0.2,
      top_p: 0.9,
      presence_penalty: 0.1,
      frequency_penalty: 0.1,
      logprobs: true,
      top_logprobs: 2,
      logit_bias: { '50256': -100 },
      reasoning_effort: 'high',
      seed: 7,
      custom: { a: 1 },
    };
    expect(adaptReasoningBody(body)).toEqual({ model: 'o3-mini', messages: body.messages, max_completion_tokens: 300, reasoning_effort: 'high', seed: 7, custom: { a: 1 } });
    expect(body.max_tokens).toBe(300);
  });

  it('keeps an explicit max_completion_tokens over max_tokens', () => {
    expect(adaptReasoningBody({ model: 'gpt-5', max_tokens: 10, max_completion_tokens: 99 })).toEqual({ model: 'gpt-5', max_completion_tokens: 99 });
  });

  it('keeps sampling parameters when reasoning is turned off (reasoning_effort none)', () => {
    expect(adaptReasoningBody({ model: 'gpt-5.1', reasoning_effort: 'none', temperature: 0.3, max_tokens: 5 })).toEqual({
      model: 'gpt-5.1',
      reasoning_effort: 'none',
      temperature: 0.3,
      max_completion_tokens: 5,
    });
  });

  it('returns ordinary bodies untouched (same object)', () => {
    const body = { model: 'gpt-4o', max_tokens: 5, temperature: 1 };
    expect(adaptReasoningBody(body)).toBe(body);
    const reasoningAlreadyClean = { model: 'o1', max_completion_tokens: 5 };
    expect(adaptReasoningBody(reasoningAlreadyClean)).toBe(reasoningAlreadyClean);
  });
});
