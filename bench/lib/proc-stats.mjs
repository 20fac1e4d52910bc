import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// utime/stime in /proc/<pid>/stat are in clock ticks; 100 on every common Linux build.
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU time of a process (all its threads) in microseconds; null off Linux or once it exited. */
export function cpuMicros(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces: count fields from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** Current and peak resident set size in MiB (VmRSS, VmHWM); nulls when unavailable. */
export function memoryMiB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const read = (name) => {
      const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
      return match ? Number(match[1]) / 1024 : null;
    };
    return { rss: read('VmRSS'), peak: read('VmHWM') };
  } catch {
    return { rss: null, peak: null };
  }
}

/**
 * Write system calls a process made so far (`syscw` of /proc/<pid>/io: write, writev and the like,
 * socket writes included); null off Linux or once it exited. On a VM where a syscall costs tens of
 * µs, writes per request explain much of the gateway's CPU.
 */
export function writeSyscalls(pid) {
  try {
    const match = /^syscw:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Snapshot of the CPU of several processes, to diff around a measured cell. */
export function cpuSnapshot(pids) {
  const snapshot = { self: process.cpuUsage() };
  for (const [name, pid] of Object.entries(pids)) snapshot[name] = pid ? cpuMicros(pid) : null;
  return snapshot;
}

/** CPU µs per request for each process between two snapshots. */
export function cpuPerRequest(before, after, requests) {
  const perRequest = {};
  for (const name of Object.keys(before)) {
    if (name === 'self') {
      const used = after.self.user + after.self.system - before.self.user - before.self.system;
      perRequest.loadGenerator = requests > 0 ? used / requests : null;
    } else {
      perRequest[name] = before[name] === null || after[name] === null || requests === 0 ? null : (after[name] - before[name]) / requests;
    }
  }
  return perRequest;
}

const promiseReads = new Map();

/**
 * The promises the gateway created so far, from bench/lib/promise-counter.mjs: signals it and
 * waits for its answer in `file`; null when it does not answer within 5 s.
 */
export async function promiseCount(pid, file) {
  const wanted = (promiseReads.get(pid) ?? 0) + 1;
  promiseReads.set(pid, wanted);
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    try {
      const [reads, count] = readFileSync(file, 'utf8').split(' ').map(Number);
      if (reads >= wanted) return count;
    } catch {
      // Not written yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return null;
}
