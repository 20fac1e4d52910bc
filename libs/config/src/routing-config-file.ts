import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ProviderConfig } from './app-config';
import { ConfigError } from './config-error';
import { type Env, readString } from './env-parsers';
import { emptyRouting, type RoutingConfig } from './routing-config';
import { parseRoutingConfig } from './routing-config-parser';

/**
 * Reads the optional routing file named by SWITCHYARD_CONFIG (relative paths from the working
 * directory). Unset means no aliases and no chains; set to a file that cannot be read stops the
 * boot, since running without the routing the operator wrote would send traffic elsewhere.
 * The file only holds what env cannot express (aliases, chains), so nothing in it competes with env.
 */
export function readRoutingConfig(env: Env, providers: readonly ProviderConfig[]): RoutingConfig {
  const raw = readString(env, 'SWITCHYARD_CONFIG');
  if (raw === undefined) return emptyRouting();
  const file = resolve(raw);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError('SWITCHYARD_CONFIG', code === 'ENOENT' ? `names ${file}, which does not exist` : `names ${file}, which cannot be read (${code ?? 'error'})`);
  }
  return parseRoutingConfig(
    text,
    file,
    providers.map((provider) => provider.name),
    providers.map((provider) => provider.type),
  );
}
