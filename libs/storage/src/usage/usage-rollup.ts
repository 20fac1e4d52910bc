import type { NewUsageRecord } from './new-usage-record';
import {
  ROLLUP_COUNTERS,
  type RollupSums,
  type UsageDailyKeyRollupEntity,
  type UsageKeyRollupEntity,
  type UsageModelRollupEntity,
  type UsageRollupEntity,
} from './usage-rollup.entity';
import type { toUsageRow } from './usage-row';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

type UsageRow = ReturnType<typeof toUsageRow>;

/**
 * Folds a batch of usage rows into one rollup row per hour × provider × model × key × user path.
 * Sorted by key, so concurrent writers (replicas) lock the rollup rows they share in the same
 * order and cannot deadlock each other.
 */
export function rollUp(rows: readonly UsageRow[], records: readonly NewUsageRecord[]): UsageRollupEntity[] {
  const groups = new Map<string, UsageRollupEntity>();
  rows.forEach((row, index) => {
    const hour = Math.floor(row.createdAt.getTime() / HOUR_MS) * HOUR_MS;
    const provider = row.provider ?? '';
    const model = row.model ?? '';
    const keyId = row.keyId ?? '';
    const userPath = row.userPath ?? '';
    const key = `${hour}\u0000${provider}\u0000${model}\u0000${keyId}\u0000${userPath}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        hour: new Date(hour),
        provider,
        model,
        keyId,
        userPath,
        requests: 0,
        errors: 0,
        inputTokens: 0,
        outputTokens: 0,
        cachedTokens: 0,
        reasoningTokens: 0,
        costMicros: 0,
        latencyMsTotal: 0,
      };
      groups.set(key, group);
    }
    group.requests += 1;
    if (row.status >= 400 || row.errorType !== null) group.errors += 1;
    group.inputTokens += row.inputTokens;
    group.outputTokens += row.outputTokens;
    group.cachedTokens += row.cachedTokens;
    group.reasoningTokens += row.reasoningTokens;
    group.costMicros += costOf(records[index]);
    group.latencyMsTotal += row.latencyMs;
  });
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, group]) => group);
}

function costOf(record: NewUsageRecord): number {
  const total = record.cost?.total;
  return typeof total === 'number' && Number.isFinite(total) && total > 0 ? Math.round(total) : 0;
}

/** The fine groups folded once more, by hour × provider × model (same key order, same reason). */
export function byModel(groups: readonly UsageRollupEntity[]): UsageModelRollupEntity[] {
  return foldBy(
    groups,
    (group) => `${group.hour.getTime()}\u0000${group.provider}\u0000${group.model}`,
    ({ keyId: _key, userPath: _path, ...group }) => group,
  );
}

/** The fine groups folded by hour × key × user path (same key order, same reason). */
export function byKey(groups: readonly UsageRollupEntity[]): UsageKeyRollupEntity[] {
  return foldBy(
    groups,
    (group) => `${group.hour.getTime()}\u0000${group.keyId}\u0000${group.userPath}`,
    ({ provider: _provider, model: _model, ...group }) => group,
  );
}

/** The fine groups folded by UTC day × key × user path (same key order, same reason). */
export function byDayKey(groups: readonly UsageRollupEntity[]): UsageDailyKeyRollupEntity[] {
  const dayOf = (group: UsageRollupEntity) => Math.floor(group.hour.getTime() / DAY_MS) * DAY_MS;
  return foldBy(
    groups,
    (group) => `${dayOf(group)}\u0000${group.keyId}\u0000${group.userPath}`,
    (group) => {
      const { hour: _hour, provider: _provider, model: _model, ...sums } = group;
      return { day: new Date(dayOf(group)), ...sums };
    },
  );
}

function foldBy<T extends RollupSums>(groups: readonly UsageRollupEntity[], keyOf: (group: UsageRollupEntity) => string, project: (group: UsageRollupEntity) => T): T[] {
  const folded = new Map<string, T>();
  for (const group of groups) {
    const key = keyOf(group);
    const sum = folded.get(key);
    if (!sum) {
      folded.set(key, project(group));
      continue;
    }
    for (const counter of ROLLUP_COUNTERS) sum[counter] += group[counter];
  }
  return [...folded.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, group]) => group);
}
