import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The built gateway (`npm run build`), as `npm start` runs it. */
export const GATEWAY_MAIN = resolve(__dirname, '../../dist/apps/gateway/src/main.js');

/** The built gateway running as its own process: a crash there fails the test instead of taking jest down. */
export interface GatewayProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly port: number;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Settles with the exit code when the process ends. */
  readonly exit: Promise<number | null>;
  stop(): Promise<void>;
}

/** Starts the built gateway with `env` and resolves once it listens. */
export function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [GATEWAY_MAIN], {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output}`)), 30_000);
    let listening = false;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = listening ? null : /"msg":"Switchyard gateway listening","port":(\d+)/.exec(output);
      if (!match) return;
      listening = true;
      clearTimeout(timer);
      resolvePort({
        child,
        url: `http://127.0.0.1:${match[1]}`,
        port: Number(match[1]),
        output: () => output,
        exit,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exit;
        },
      });
    });
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited (${code}) before listening:\n${output}`));
    });
  });
}
