import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The built gateway entry point (`npm run build` writes it). */
export const GATEWAY_MAIN = resolve(__dirname, '../../dist/apps/gateway/src/main.js');

export interface GatewayProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** Resolves with the exit code once the process has exited. */
  readonly exit: Promise<number | null>;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
}

/** Starts the built gateway as a real process and resolves once it listens. */
export function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [GATEWAY_MAIN], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let output = '';
  return new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"msg":"Switchyard gateway listening","port":(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePort({ child, port: Number(match[1]), exit, output: () => output });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exit.then((code) => reject(new Error(`gateway exited (${code}) before listening:\n${output}`)));
  });
}
