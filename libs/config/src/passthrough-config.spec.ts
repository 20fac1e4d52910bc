import { ConfigError } from './config-error';
import { buildConfig } from './load-config';

describe('passthrough configuration', () => {
  const providers = { OPENAI_API_KEY: 'sk', OPENAI_EAST_API_KEY: 'sk-east', GROQ_API_KEY: 'gsk' };

  it('is enabled for every configured provider by default', () => {
    expect(buildConfig(providers).passthrough).toEqual({ enabled: true });
  });

  it('reads PASSTHROUGH_ENABLED and a comma list of instance or type names', () => {
    const config = buildConfig({ ...providers, PASSTHROUGH_ENABLED: 'false', PASSTHROUGH_PROVIDERS: ' openai-east, Groq ,,' });
    expect(config.passthrough).toEqual({ enabled: false, providers: ['openai-east', 'groq'] });
  });

  it('stops the boot when PASSTHROUGH_PROVIDERS names no configured provider', () => {
    expect(() => buildConfig({ ...providers, PASSTHROUGH_PROVIDERS: 'openai,mistral' })).toThrow(ConfigError);
    expect(() => buildConfig({ ...providers, PASSTHROUGH_PROVIDERS: 'openai,mistral' })).toThrow(/PASSTHROUGH_PROVIDERS names 'mistral'/);
  });

  it('rejects a PASSTHROUGH_ENABLED that is not a boolean, naming it', () => {
    expect(() => buildConfig({ PASSTHROUGH_ENABLED: 'sometimes' })).toThrow(/PASSTHROUGH_ENABLED must be true or false/);
  });
});
