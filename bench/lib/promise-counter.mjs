// Preloaded into the gateway (`node --import`) by `bench/run.mjs --count-promises`. Counts the promises
// the process creates; on SIGUSR2 writes "<reads> <count>" to BENCH_PROMISE_COUNT_FILE, so the bench
// can read the count before and after each cell. Promises per request do not depend on how fast
// the VM is today, and each one pays the AsyncLocalStorage hooks, so the count tracks work the
// request path can shed. The hook itself costs CPU: such a run's µs figures are not comparable.
import { createHook } from 'node:async_hooks';
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_PROMISE_COUNT_FILE;
let promises = 0;
let reads = 0;
createHook({
  init(_asyncId, type) {
    if (type === 'PROMISE') promises++;
  },
}).enable();
if (file) process.on('SIGUSR2', () => writeFileSync(file, `${++reads} ${promises}`));
