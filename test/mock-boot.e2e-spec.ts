import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { GATEWAY_MAIN } from './support/gateway-process';

/**
 * The README's first example on a fresh machine: the built gateway with no provider variable, no
 * keys and no network answers `mock/echo`, and says loudly at boot that the mock is serving.
 */
describe('the built gateway with no provider configured', () => {
  let child: ChildProcess | undefined;
  let dir: string;
  let output = '';

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child!.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves mock/echo and logs the warning', async () => {
    expect(existsSync(GATEWAY_MAIN)).toBe(true); // npm test builds dist/ before running the suites
    // Its own working directory and a bare environment: no .env or provider variable may leak in.
    dir = mkdtempSync(join(tmpdir(), 'switchyard-mock-boot-'));
    child = spawn(process.execPath, [GATEWAY_MAIN], { cwd: dir, env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', DATA_DIR: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    const port = await new Promise<number>((resolvePort, reject) => {
      const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /"msg":"Switchyard gateway listening","port":(\d+)/.exec(output);
        if (!match) return;
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      };
      child!.stdout!.on('data', onData);
      child!.stderr!.on('data', onData);
      child!.once('exit', (code) => reject(new Error(`gateway exited (${code}) before listening:\n${output}`)));
    });

    expect(output).toMatch(/"level":"?(warn|40)"?.*No provider is configured: the built-in MOCK provider is serving/);
    expect(output).toMatch(/"providers":\["mock"\]/);

    // As the README's curl does: no key (the gateway runs open without a master key) and no network.
    const response = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'mock/echo', messages: [{ role: 'user', content: 'Hello, Switchyard' }] }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { choices: Array<{ message: { content: string } }> }).choices[0].message.content).toBe('Hello, Switchyard');

    const client = new OpenAI({ apiKey: 'anything', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
    const reply = await client.chat.completions.create({ model: 'mock/echo', messages: [{ role: 'user', content: 'From the SDK' }] });
    expect(reply.choices[0].message.content).toBe('From the SDK');
  }, 90_000);
});
