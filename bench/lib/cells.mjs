import { runLoad, warmUp } from './load.mjs';
import { cpuPerRequest, cpuSnapshot, memoryMiB, promiseCount, writeSyscalls } from './proc-stats.mjs';
import { authorizationFor, buildRequest, modelFor, originFor } from './scenarios.mjs';
import { fmt } from './report.mjs';
import { median } from './stats.mjs';

/**
 * Every (round, scenario, connections) cell measures each target back to back; the order of the
 * targets alternates from cell to cell so slow drift of a shared VM does not favour one of them.
 * `pids(scenario)` names the processes to measure (the fake upstream depends on the scenario).
 * `promiseCountFile` is set when the gateway runs with bench/lib/promise-counter.mjs.
 */
export async function runCells({ options, scenarios, targets, pids, gatewayPid, promiseCountFile, log }) {
  const cells = [];
  let cellIndex = 0;
  for (let round = 0; round < options.rounds; round++) {
    for (const scenario of scenarios) {
      for (const connections of options.connections) {
        const order = cellIndex++ % 2 === 0 ? targets : [...targets].reverse();
        for (const target of order) {
          const side = scenario[target.name];
          if (!side) continue;
          const request = buildRequest(side, modelFor(scenario, options.model), authorizationFor(target, scenario));
          const origin = originFor(target, scenario);
          await warmUp({ origin, request, connections, durationS: options.warmup });
          const before = cpuSnapshot(pids(scenario));
          const writesBefore = target.name === 'gateway' && gatewayPid ? writeSyscalls(gatewayPid) : null;
          const countPromises = target.name === 'gateway' && gatewayPid && promiseCountFile;
          const promisesBefore = countPromises ? await promiseCount(gatewayPid, promiseCountFile) : null;
          const load = await runLoad({ origin, request, connections, durationS: options.duration });
          const cpu = cpuPerRequest(before, cpuSnapshot(pids(scenario)), load.requests);
          const writesAfter = writesBefore === null ? null : writeSyscalls(gatewayPid);
          const promisesAfter = promisesBefore === null ? null : await promiseCount(gatewayPid, promiseCountFile);
          const cell = {
            round,
            scenario: scenario.name,
            connections,
            target: target.name,
            ...load,
            cpuMicrosPerRequest: cpu,
            gatewayWritesPerRequest: writesAfter === null || load.requests === 0 ? null : (writesAfter - writesBefore) / load.requests,
            gatewayPromisesPerRequest: promisesAfter === null || load.requests === 0 ? null : (promisesAfter - promisesBefore) / load.requests,
            gatewayRssMiB: gatewayPid ? memoryMiB(gatewayPid).rss : null,
          };
          cells.push(cell);
          log(
            `  ${scenario.name} c=${connections} ${target.name.padEnd(7)} ${fmt(load.rps, 0).padStart(6)} req/s  p50 ${fmt(load.latencyMs.p50)} ms  p99 ${fmt(load.latencyMs.p99)} ms` +
              (load.non2xx + load.errors + load.timeouts > 0 ? `  FAILED ${load.non2xx} non-2xx, ${load.errors} errors, ${load.timeouts} timeouts` : ''),
          );
        }
      }
    }
  }
  return cells;
}

function medianOf(cells, read) {
  return median(cells.map(read).filter((value) => value !== null && value !== undefined));
}

/** One row per (scenario, connections, target): medians over rounds, plus latency added over direct. */
export function summarizeCells(cells, scenarioOrder) {
  const groups = new Map();
  for (const cell of cells) {
    const key = `${cell.scenario}|${cell.connections}|${cell.target}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(cell);
  }
  const rows = [...groups.values()].map((group) => {
    const { scenario, connections, target } = group[0];
    return {
      scenario,
      connections,
      target,
      rounds: group.length,
      rps: medianOf(group, (cell) => cell.rps),
      latencyMs: { p50: medianOf(group, (cell) => cell.latencyMs.p50), p99: medianOf(group, (cell) => cell.latencyMs.p99) },
      cpuMicrosPerRequest: {
        // An idle gateway's background timers divided by direct requests would mean nothing.
        gateway: target === 'gateway' ? medianOf(group, (cell) => cell.cpuMicrosPerRequest.gateway) : null,
        upstream: medianOf(group, (cell) => cell.cpuMicrosPerRequest.upstream),
        loadGenerator: medianOf(group, (cell) => cell.cpuMicrosPerRequest.loadGenerator),
      },
      gatewayWritesPerRequest: target === 'gateway' ? medianOf(group, (cell) => cell.gatewayWritesPerRequest) : null,
      gatewayPromisesPerRequest: target === 'gateway' ? medianOf(group, (cell) => cell.gatewayPromisesPerRequest) : null,
      failed: group.reduce((sum, cell) => sum + cell.non2xx + cell.errors + cell.timeouts, 0),
    };
  });
  for (const row of rows) {
    if (row.target === 'direct') continue;
    const direct = rows.find((other) => other.target === 'direct' && other.scenario === row.scenario && other.connections === row.connections);
    if (!direct) continue;
    row.addedMs = { p50: row.latencyMs.p50 - direct.latencyMs.p50, p99: row.latencyMs.p99 - direct.latencyMs.p99 };
    row.throughputRatio = row.rps / direct.rps;
  }
  const targetRank = (row) => (row.target === 'direct' ? 0 : 1);
  return rows.sort((a, b) => scenarioOrder.indexOf(a.scenario) - scenarioOrder.indexOf(b.scenario) || a.connections - b.connections || targetRank(a) - targetRank(b));
}
