import { countTextTokens, encodingForModel, estimateConversationTokens } from './token-estimate';

describe('token estimates', () => {
  it('picks the encoding of the model family', () => {
    expect(encodingForModel('gpt-4o-mini')).toBe('o200k_base');
    expect(encodingForModel('openai/o3-mini')).toBe('o200k_base');
    expect(encodingForModel('gpt-3.5-turbo')).toBe('cl100k_base');
    expect(encodingForModel('claude-sonnet-4-5')).toBe('cl100k_base');
  });

  it('counts tokens with the real BPE tables', () => {
    // "hello world" is two tokens in both encodings.
    expect(countTextTokens('hello world', 'gpt-4o')).toBe(2);
    expect(countTextTokens('hello world', 'gpt-3.5-turbo')).toBe(2);
    expect(countTextTokens('', 'gpt-4o')).toBe(0);
    expect(countTextTokens('a much longer sentence about tokenizers and their quirks', 'gpt-4o')).toBeGreaterThan(8);
  });

  it('adds the chat format overhead per message', () => {
    expect(estimateConversationTokens(['hello world'], 1, 'gpt-4o')).toBe(2 + 3 + 3);
    expect(estimateConversationTokens(['hello world', 'hello world'], 2, 'gpt-4o')).toBe(4 + 6 + 3);
  });
});
