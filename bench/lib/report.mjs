import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function fmt(value, digits = 2) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return value.toFixed(digits);
}

function signed(value, digits = 2) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return (value >= 0 ? '+' : '') + value.toFixed(digits);
}

/** A plain fixed-width table; numbers right-aligned. */
export function table(headers, rows) {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => String(row[column]).length)));
  const line = (cells) => cells.map((cell, column) => (column < 3 ? String(cell).padEnd(widths[column]) : String(cell).padStart(widths[column]))).join('  ');
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function loadTable(summaries) {
  const rows = summaries.map((cell) => [
    cell.scenario,
    String(cell.connections),
    cell.target,
    fmt(cell.rps, 0),
    fmt(cell.latencyMs.p50),
    fmt(cell.latencyMs.p99),
    signed(cell.addedMs?.p50),
    signed(cell.addedMs?.p99),
    fmt(cell.cpuMicrosPerRequest.gateway, 0),
    fmt(cell.gatewayWritesPerRequest, 1),
    fmt(cell.gatewayPromisesPerRequest, 1),
    fmt(cell.cpuMicrosPerRequest.upstream, 0),
    fmt(cpuRatio(cell), 2),
    fmt(cell.cpuMicrosPerRequest.loadGenerator, 0),
    cell.failed > 0 ? `${cell.failed} ✗` : '0',
  ]);
  return table(
    ['scenario', 'conns', 'target', 'req/s', 'p50 ms', 'p99 ms', '+p50 ms', '+p99 ms', 'gw µs/req', 'gw writes/req', 'promises/req', 'up µs/req', 'gw/up', 'gen µs/req', 'failed'],
    rows,
  );
}

/**
 * Gateway CPU per request over the fake upstream's. The upstream does the same work per request
 * in every run, so on a VM whose speed swings from run to run the ratio compares two builds where
 * the raw µs do not. Undefined without upstream work (cache hits) or for the direct target.
 */
function cpuRatio(cell) {
  const { gateway, upstream } = cell.cpuMicrosPerRequest;
  return gateway > 0 && upstream > 0 ? gateway / upstream : undefined;
}

export function probeTable(probes) {
  const rows = [];
  for (const probe of probes) {
    const direct = probe.results.find((result) => result.target === 'direct');
    for (const result of probe.results) {
      const added = (key, p) => (result.target === 'direct' || !direct ? null : result[key][p] - direct[key][p]);
      rows.push([
        probe.scenario,
        String(result.totalMs.count),
        result.target,
        fmt(result.headersMs.p50),
        fmt(result.firstChunkMs.p50),
        fmt(result.firstChunkMs.p99),
        fmt(result.totalMs.p50),
        signed(added('firstChunkMs', 'p50')),
        signed(added('firstChunkMs', 'p99')),
        signed(added('totalMs', 'p50')),
      ]);
    }
  }
  return table(['scenario', 'n', 'target', 'headers p50', '1st chunk p50', '1st chunk p99', 'total p50', '+1st p50', '+1st p99', '+total p50'], rows);
}

/** Writes the full result; ':' and '.' are replaced in the ISO time so the name is portable. */
export function writeJson(dir, startedAt, result) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`);
  return file;
}

export { fmt, signed };
