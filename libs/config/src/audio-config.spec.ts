import { buildConfig } from './load-config';

describe('audio configuration', () => {
  it('serves audio from OpenAI, Azure and Groq by default, from other OpenAI-compatible servers only when asked', () => {
    const config = buildConfig({
      OPENAI_API_KEY: 'sk',
      GROQ_API_KEY: 'gsk',
      AZURE_API_KEY: 'az',
      AZURE_BASE_URL: 'https://res.openai.azure.com',
      XAI_API_KEY: 'xai',
      VLLM_BASE_URL: 'http://vllm:8000/v1',
      VLLM_AUDIO: 'true',
      OPENAI_EAST_API_KEY: 'sk-east',
      OPENAI_EAST_AUDIO: 'false',
      ANTHROPIC_API_KEY: 'sk-ant',
    });
    const audio = Object.fromEntries(config.providers.map((provider) => [provider.name, provider.audio]));
    expect(audio).toEqual({ openai: true, 'openai-east': false, groq: true, xai: false, vllm: true, anthropic: false, azure: true });
  });

  it('refuses the flag on a provider that cannot speak OpenAI audio, naming the variable', () => {
    expect(() => buildConfig({ ANTHROPIC_API_KEY: 'sk-ant', ANTHROPIC_AUDIO: 'true' })).toThrow(/ANTHROPIC_AUDIO cannot be on/);
    expect(() => buildConfig({ OPENAI_API_KEY: 'sk', OPENAI_AUDIO: 'maybe' })).toThrow(/OPENAI_AUDIO must be true or false/);
  });

  it('limits audio uploads to 25 MB unless AUDIO_MAX_BYTES says otherwise', () => {
    expect(buildConfig({}).audioMaxBytes).toBe(25 * 1024 * 1024);
    expect(buildConfig({ AUDIO_MAX_BYTES: '100mb' }).audioMaxBytes).toBe(100 * 1024 * 1024);
    expect(() => buildConfig({ AUDIO_MAX_BYTES: 'big' })).toThrow(/AUDIO_MAX_BYTES must be a size/);
  });
});
