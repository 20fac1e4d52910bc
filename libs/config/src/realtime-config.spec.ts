import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-error';
import { buildConfig } from './load-config';

describe('realtime settings (REALTIME_*)', () => {
  it('defaults to on, 30 min sessions, 10 min idle, 30 s pings, 16 MiB frames', () => {
    expect(buildConfig({}).realtime).toEqual({
      enabled: true,
      maxSessionMs: 1_800_000,
      idleTimeoutMs: 600_000,
      pingIntervalMs: 30_000,
      maxFrameBytes: 16 * 1024 * 1024,
      transcriptionModel: 'gpt-4o-transcribe',
    });
  });

  it('reads them, and refuses a zero duration naming the variable', () => {
    const { realtime } = buildConfig({ REALTIME_ENABLED: 'false', REALTIME_MAX_SESSION: '5m', REALTIME_MAX_FRAME: '1mb', REALTIME_TRANSCRIPTION_MODEL: 'whisper-1' });
    expect(realtime).toMatchObject({ enabled: false, maxSessionMs: 300_000, maxFrameBytes: 1024 * 1024, transcriptionModel: 'whisper-1' });
    expect(() => buildConfig({ REALTIME_IDLE_TIMEOUT: '0' })).toThrow(/REALTIME_IDLE_TIMEOUT must be greater than zero/);
  });
});

describe('TLS_CERT_FILE / TLS_KEY_FILE', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-tls-config-'));
    writeFileSync(join(dir, 'cert.pem'), 'cert');
    writeFileSync(join(dir, 'key.pem'), 'key');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is off by default and keeps the two paths when both are readable', () => {
    expect(buildConfig({}).tls).toBeUndefined();
    expect(buildConfig({ TLS_CERT_FILE: join(dir, 'cert.pem'), TLS_KEY_FILE: join(dir, 'key.pem') }).tls).toEqual({
      certFile: join(dir, 'cert.pem'),
      keyFile: join(dir, 'key.pem'),
    });
  });

  it.each([
    [{ TLS_CERT_FILE: 'cert.pem' }, /TLS_KEY_FILE is required when TLS_CERT_FILE is set/],
    [{ TLS_KEY_FILE: 'key.pem' }, /TLS_CERT_FILE is required when TLS_KEY_FILE is set/],
    [{ TLS_CERT_FILE: '/nonexistent/cert.pem', TLS_KEY_FILE: '/nonexistent/key.pem' }, /TLS_CERT_FILE names \/nonexistent\/cert.pem, which is not a readable file/],
  ])('refuses %o naming the variable', (env, message) => {
    expect(() => buildConfig(env)).toThrow(ConfigError);
    expect(() => buildConfig(env)).toThrow(message);
  });
});
