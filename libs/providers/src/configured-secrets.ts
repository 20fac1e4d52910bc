import type { AppConfig } from '@app/config';
import { registerSecrets } from '@app/core';

/** Every credential the configuration holds: provider keys, Bedrock's AWS credentials, the master key. */
export function configuredSecrets(config: AppConfig): string[] {
  const secrets = [config.masterKey];
  for (const provider of config.providers) {
    secrets.push(provider.apiKey, provider.bedrock?.accessKeyId, provider.bedrock?.secretAccessKey, provider.bedrock?.sessionToken, provider.bedrock?.bearerToken);
  }
  return secrets.filter((secret): secret is string => typeof secret === 'string' && secret !== '');
}

/**
 * Registers the configuration's credentials with the process-wide redactor at boot, so upstream
 * error text and log lines never carry them. Provided by ProvidersModule, which every app that
 * talks to providers imports.
 */
export class ConfiguredSecrets {
  constructor(readonly secrets: readonly string[]) {
    registerSecrets(secrets);
  }

  static fromConfig(config: AppConfig): ConfiguredSecrets {
    return new ConfiguredSecrets(configuredSecrets(config));
  }
}
