import { ConfigError } from './config-error';

/**
 * A ConfigError about a value inside the SWITCHYARD_CONFIG file: it names the file, the line and
 * the key path (e.g. `aliases.smart.targets[1].weight`), so the operator can go straight to it.
 */
export class ConfigFileError extends ConfigError {
  constructor(
    readonly file: string,
    readonly keyPath: string,
    readonly line: number | undefined,
    detail: string,
  ) {
    super('SWITCHYARD_CONFIG', `(${file}${line === undefined ? '' : `, line ${line}`}): ${keyPath ? `${keyPath} ` : ''}${detail}`);
    this.name = 'ConfigFileError';
  }
}
