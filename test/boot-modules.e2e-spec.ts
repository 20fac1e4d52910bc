import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GATEWAY_MAIN } from './support/gateway-process';

// Loaded into the gateway with --require: answers an IPC message with the CommonJS modules loaded so far.
const PROBE = `process.on('message', () => process.send(Object.keys(require.cache)));`;

/**
 * The embedded gateway (SQLite, no Redis, no routing file, no Bedrock provider) must not load the
 * libraries only other configurations use: each costs RSS and boot time for nothing (README, "Memory").
 */
describe('modules the embedded gateway loads at boot', () => {
  let child: ChildProcess | undefined;
  let dir: string;

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child!.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves BullMQ, ioredis, yaml and the AWS SDK parts unloaded', async () => {
    expect(existsSync(GATEWAY_MAIN)).toBe(true); // npm test builds dist/ before running the suites
    dir = mkdtempSync(join(tmpdir(), 'switchyard-boot-modules-'));
    const probe = join(dir, 'probe.cjs');
    writeFileSync(probe, PROBE);
    const env = { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', DATA_DIR: dir, OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' };
    child = spawn(process.execPath, ['--require', probe, GATEWAY_MAIN], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let output = '';
    await new Promise<void>((listening, reject) => {
      const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output}`)), 60_000);
      child!.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child!.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (!output.includes('"msg":"Switchyard gateway listening"')) return;
        clearTimeout(timer);
        listening();
      });
      child!.once('exit', (code) => reject(new Error(`gateway exited (${code}):\n${output}`)));
    });
    const loaded = await new Promise<string[]>((answer) => {
      child!.once('message', (modules) => answer(modules as string[]));
      child!.send('modules?');
    });
    const packages = new Set(loaded.map((file) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1]).filter((name) => name !== undefined));
    expect(packages.has('typeorm')).toBe(true); // the probe sees the gateway's modules
    const unwanted = ['bullmq', '@nestjs/bullmq', 'ioredis', 'yaml', '@smithy/signature-v4', '@smithy/eventstream-codec'];
    expect(unwanted.filter((name) => packages.has(name))).toEqual([]);
  }, 90_000);
});
