// Both stores validate arguments the same way, so a caller's bug fails identically in embedded
// mode and against Redis rather than only in production.

/** Rejects TTLs Redis would refuse (PX needs a positive integer); fractions round up. */
export function normalizeTtlMs(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`Cache TTL must be a positive number of milliseconds, got ${ttlMs}`);
  }
  return Math.ceil(ttlMs);
}

/** Counters hold integers only (INCRBY semantics). */
export function assertIncrement(by: number): void {
  if (!Number.isSafeInteger(by)) {
    throw new RangeError(`Cache increment must be a safe integer, got ${by}`);
  }
}
