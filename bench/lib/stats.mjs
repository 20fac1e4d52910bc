/** Nearest-rank percentile of an ascending typed array. */
function rank(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Count, p50, p99, mean and max of latency samples (nearest rank); NaNs when there are none. */
export function summarize(values) {
  if (values.length === 0) return { count: 0, p50: Number.NaN, p99: Number.NaN, mean: Number.NaN, max: Number.NaN };
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return { count: sorted.length, p50: rank(sorted, 50), p99: rank(sorted, 99), mean: sum / sorted.length, max: sorted[sorted.length - 1] };
}

/** Median of the finite values (mean of the middle two for an even count); NaN when there are none. */
export function median(values) {
  const sorted = Float64Array.from(values.filter(Number.isFinite)).sort();
  if (sorted.length === 0) return Number.NaN;
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
