#!/usr/bin/env node
// Runs the compiled fake OpenAI audio upstream (npm run build) in a process of its own, like
// fake-upstream-server.mjs does for the fake OpenAI one, for the /v1/audio/speech scenario.
//   as a child of bench/run.mjs: reports { baseUrl } over IPC and exits when the parent goes away
//   standalone: node bench/fake-audio-server.mjs [--api-key sk-...]
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const entry = process.env.FAKE_UPSTREAM_ENTRY ?? resolve(here, '../dist/test/support/fake-audio/index.js');
if (!existsSync(entry)) {
  console.error(`${entry} not found: run \`npm run build\` first`);
  process.exit(1);
}
const { values } = parseArgs({ options: { 'api-key': { type: 'string' } } });
const { FakeOpenAIAudio } = createRequire(import.meta.url)(entry);

const fake = await FakeOpenAIAudio.start({ surface: 'openai', apiKey: values['api-key'] ?? process.env.FAKE_UPSTREAM_API_KEY, models: ['tts-1'] });
// The fake records every request; emptying the record keeps memory flat over a long run.
setInterval(() => fake.reset(), 1_000).unref();

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
else console.log(`fake OpenAI audio upstream on ${fake.baseUrl}`);
