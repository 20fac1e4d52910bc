#!/usr/bin/env node
// Runs the compiled fake OpenAI upstream (npm run build) in a process of its own, so its CPU is
// measured apart from the load generator's and the gateway's.
//   as a child of bench/run.mjs: reports { baseUrl } over IPC and exits when the parent goes away
//   standalone: node bench/fake-upstream-server.mjs [--port 4010] [--api-key sk-...]
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const entry = process.env.FAKE_UPSTREAM_ENTRY ?? resolve(here, '../dist/test/support/fake-upstream/index.js');
if (!existsSync(entry)) {
  console.error(`${entry} not found: run \`npm run build\` first`);
  process.exit(1);
}
const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, 'api-key': { type: 'string' } } });
const { FakeOpenAIUpstream } = createRequire(import.meta.url)(entry);

const fake = await FakeOpenAIUpstream.start({
  host: '127.0.0.1',
  port: Number(values.port),
  apiKey: values['api-key'] ?? process.env.FAKE_UPSTREAM_API_KEY,
  // Recording every request would grow memory by millions of entries over a benchmark run.
  recordRequests: false,
});

let closing = false;
function shutdown() {
  if (closing) return;
  closing = true;
  fake.close().finally(() => process.exit(0));
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
// The IPC channel closes when the benchmark dies, even by SIGKILL: do not outlive it.
process.on('disconnect', shutdown);

if (process.send) process.send({ baseUrl: fake.baseUrl });
else console.log(`fake OpenAI upstream listening at ${fake.baseUrl}`);
