import { accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';
import type { RealtimeConfig, TlsConfig } from './app-config';
import { ConfigError } from './config-error';
import { type Env, readBool, readBytes, readDurationMs, readString } from './env-parsers';

/**
 * Reads the `/v1/realtime` WebSocket relay's settings. Audio frames are large (a second of 24 kHz
 * PCM16 is ~64 KB of base64), so the frame limit defaults to 16 MiB; every duration must be
 * positive, since 0 would mean "never" to the timers it drives.
 */
export function readRealtimeConfig(env: Env): RealtimeConfig {
  return {
    enabled: readBool(env, 'REALTIME_ENABLED', true),
    maxSessionMs: readPositive(env, 'REALTIME_MAX_SESSION', 30 * 60_000),
    idleTimeoutMs: readPositive(env, 'REALTIME_IDLE_TIMEOUT', 10 * 60_000),
    pingIntervalMs: readPositive(env, 'REALTIME_PING_INTERVAL', 30_000),
    maxFrameBytes: readBytes(env, 'REALTIME_MAX_FRAME', 16 * 1024 * 1024),
    transcriptionModel: readString(env, 'REALTIME_TRANSCRIPTION_MODEL') ?? 'gpt-4o-transcribe',
  };
}

/**
 * TLS_CERT_FILE and TLS_KEY_FILE (PEM): both or neither. Only the paths are kept (the key never
 * sits in the config object); they are checked readable here so a typo stops the boot naming the
 * variable, and read by the bootstrap.
 */
export function readTlsConfig(env: Env): TlsConfig | undefined {
  const certFile = readString(env, 'TLS_CERT_FILE');
  const keyFile = readString(env, 'TLS_KEY_FILE');
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined) throw new ConfigError('TLS_CERT_FILE', 'is required when TLS_KEY_FILE is set');
  if (keyFile === undefined) throw new ConfigError('TLS_KEY_FILE', 'is required when TLS_CERT_FILE is set');
  return { certFile: readableFile('TLS_CERT_FILE', certFile), keyFile: readableFile('TLS_KEY_FILE', keyFile) };
}

function readableFile(name: string, path: string): string {
  const absolute = resolve(path);
  try {
    accessSync(absolute, constants.R_OK);
  } catch {
    throw new ConfigError(name, `names ${absolute}, which is not a readable file`);
  }
  return absolute;
}

function readPositive(env: Env, name: string, fallbackMs: number): number {
  const value = readDurationMs(env, name, fallbackMs);
  if (value < 1) throw new ConfigError(name, 'must be greater than zero');
  return value;
}
