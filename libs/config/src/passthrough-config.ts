import type { PassthroughConfig, ProviderConfig } from './app-config';
import { ConfigError } from './config-error';
import { type Env, readBool, readString } from './env-parsers';

/**
 * Reads `PASSTHROUGH_ENABLED` and `PASSTHROUGH_PROVIDERS` (a comma list of provider instance or
 * type names; unset means every configured provider). A name that matches no configured provider
 * is a typo that would silently disable passthrough, so it stops the boot.
 */
export function readPassthroughConfig(env: Env, providers: readonly ProviderConfig[]): PassthroughConfig {
  const enabled = readBool(env, 'PASSTHROUGH_ENABLED', true);
  const raw = readString(env, 'PASSTHROUGH_PROVIDERS');
  if (raw === undefined) return { enabled };
  const names = [
    ...new Set(
      raw
        .split(',')
        .map((name) => name.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  for (const name of names) {
    if (!providers.some((provider) => provider.name === name || provider.type === name)) {
      const known = providers.map((provider) => provider.name).join(', ') || 'none';
      throw new ConfigError('PASSTHROUGH_PROVIDERS', `names '${name}', which is not a configured provider (configured: ${known})`);
    }
  }
  return { enabled, providers: names };
}
