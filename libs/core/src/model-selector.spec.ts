import { parseModelSelector } from './model-selector';

const providers = new Set(['openai', 'openai-east', 'groq']);
const isProvider = (name: string) => providers.has(name);

describe('parseModelSelector', () => {
  it('splits provider/model when the prefix is a configured provider', () => {
    expect(parseModelSelector('openai-east/gpt-4o', isProvider)).toEqual({ provider: 'openai-east', model: 'gpt-4o' });
  });

  it('splits on the first slash only', () => {
    expect(parseModelSelector('groq/meta-llama/llama-4', isProvider)).toEqual({ provider: 'groq', model: 'meta-llama/llama-4' });
  });

  it('keeps model ids whose prefix is not a provider whole', () => {
    expect(parseModelSelector('meta-llama/Llama-3-8b', isProvider)).toEqual({ model: 'meta-llama/Llama-3-8b' });
    expect(parseModelSelector('gpt-4o', isProvider)).toEqual({ model: 'gpt-4o' });
    expect(parseModelSelector('openai/', isProvider)).toEqual({ model: 'openai/' });
  });
});
