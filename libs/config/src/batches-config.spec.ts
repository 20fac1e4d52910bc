import { buildConfig } from './load-config';

describe('batches configuration', () => {
  it('batches natively on OpenAI, Groq, Azure and Anthropic by default; <PREFIX>_BATCH_NATIVE=false turns one off', () => {
    const config = buildConfig({
      OPENAI_API_KEY: 'sk',
      OPENAI_EAST_API_KEY: 'sk-east',
      OPENAI_EAST_BATCH_NATIVE: 'false',
      GROQ_API_KEY: 'gsk',
      AZURE_API_KEY: 'az',
      AZURE_BASE_URL: 'https://res.openai.azure.com',
      ANTHROPIC_API_KEY: 'sk-ant',
      XAI_API_KEY: 'xai',
    });
    const native = Object.fromEntries(config.providers.map((provider) => [provider.name, provider.batchNative]));
    expect(native).toEqual({ openai: true, 'openai-east': false, groq: true, xai: false, anthropic: true, azure: true });
    expect(config.batches).toMatchObject({ mode: 'auto', nativeRefreshMs: 5_000 });
  });

  it('refuses the flag on a provider without a batch API Switchyard speaks, and reads BATCH_MODE and BATCH_NATIVE_REFRESH', () => {
    expect(() => buildConfig({ XAI_API_KEY: 'xai', XAI_BATCH_NATIVE: 'true' })).toThrow(/XAI_BATCH_NATIVE cannot be on/);
    expect(buildConfig({ BATCH_MODE: 'emulate', BATCH_NATIVE_REFRESH: '30s' }).batches).toMatchObject({ mode: 'emulate', nativeRefreshMs: 30_000 });
    expect(() => buildConfig({ BATCH_MODE: 'native' })).toThrow(/BATCH_MODE/);
  });
});
