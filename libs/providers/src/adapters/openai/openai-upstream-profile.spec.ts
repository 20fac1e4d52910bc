import type { ProviderConfig } from '@app/config';
import { openAIUpstreamProfile } from './openai-upstream-profile';

const provider = (type: string, baseUrl: string): ProviderConfig => ({ name: type, type, dialect: 'openai', baseUrl, models: [] });

describe('openAIUpstreamProfile', () => {
  it('uses the base URL as the API root for ordinary OpenAI-compatible providers', () => {
    expect(openAIUpstreamProfile(provider('vllm', 'http://gpu:8000/v1'))).toEqual({
      rootUrl: 'http://gpu:8000/v1',
      apiPrefix: '',
      forwardPrefix: '',
      ollamaEmbeddings: false,
      reasoningModels: false,
    });
    expect(openAIUpstreamProfile(provider('openai', 'https://api.openai.com/v1')).reasoningModels).toBe(true);
  });

  it('accepts an Ollama root URL: chat under /v1, native embeddings at the root', () => {
    expect(openAIUpstreamProfile(provider('ollama', 'http://localhost:11434'))).toEqual({
      rootUrl: 'http://localhost:11434',
      apiPrefix: '/v1',
      forwardPrefix: '',
      ollamaEmbeddings: true,
      reasoningModels: false,
    });
  });

  it('accepts an Ollama /v1 URL and keeps forwarded paths relative to it', () => {
    expect(openAIUpstreamProfile(provider('ollama', 'http://localhost:11434/v1'))).toMatchObject({
      rootUrl: 'http://localhost:11434',
      apiPrefix: '/v1',
      forwardPrefix: '/v1',
    });
  });
});
