#!/usr/bin/env node
// Runs the compiled fake Anthropic upstream (npm run build) in a process of its own, like
// fake-upstream-server.mjs does for the fake OpenAI one, for the /v1/messages scenarios.
//   as a child of bench/run.mjs: reports { baseUrl } over IPC and exits when the parent goes away
//   standalone: node bench/fake-anthropic-server.mjs [--api-key sk-...]
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const entry = process.env.FAKE_UPSTREAM_ENTRY ?? resolve(here, '../dist/test/support/fake-anthropic/index.js');
if (!existsSync(entry)) {
  console.error(`${entry} not found: run \`npm run build\` first`);
  process.exit(1);
}
const { values } = parseArgs({ options: { 'api-key': { type: 'string' } } });
const { FakeAnthropicUpstream } = createRequire(import.meta.url)(entry);

const fake = await FakeAnthropicUpstream.start({ apiKey: values['api-key'] ?? process.env.FAKE_UPSTREAM_API_KEY });
// The fake records every request and has no switch for it; emptying the record keeps memory flat
// over a run of millions of requests.
setInterval(() => {
  fake.requests.length = 0;
}, 1_000).unref();

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

if (process.send) process.send({ baseUrl: fake.url });
else console.log(`fake Anthropic upstream on ${fake.url}`);
