import type Redis from 'ioredis';
import { budgetArgs, reserveResultOf } from '../budgets/redis-budget.ledger';
import { acquireArgs, limitKeys, limitVerdictOf, releasedChecks } from '../rate-limits/redis-rate-limit.store';
import type { AdmissionStore, GovernanceAdmit, GovernanceSettle, GovernanceVerdict } from './admission-store';
import { ADMIT_SCRIPT, SETTLE_SCRIPT } from './governance-scripts';
import { TurnPipeline } from './turn-pipeline';

/**
 * Admission and settlement as one Lua call each (EVALSHA through defineCommand, as the other
 * stores), sent through a TurnPipeline: the admits and settles of one event-loop turn share a write.
 */
export class RedisAdmissionStore implements AdmissionStore {
  private readonly pipeline: TurnPipeline;

  /** `client` is shared (the rate-limit store's connection): its owner quits it. */
  constructor(client: Redis) {
    client.defineCommand('governanceAdmit', { lua: ADMIT_SCRIPT });
    client.defineCommand('governanceSettle', { lua: SETTLE_SCRIPT });
    this.pipeline = new TurnPipeline(client);
  }

  async admit({ limits, budget }: GovernanceAdmit): Promise<GovernanceVerdict> {
    const checks = limits?.checks ?? [];
    const counters = budget?.counters ?? [];
    const keys = [...limitKeys(checks), ...counters.map((counter) => counter.key)];
    const args = [checks.length, counters.length, ...(limits ? acquireArgs(limits) : [0, '', 0, 0]), ...(budget ? budgetArgs(counters, budget.amountMicros) : [])];
    const reply = await this.pipeline.send<number[]>('governanceAdmit', [keys.length, ...keys, ...args]);
    if (reply[0] === 2 || reply[0] === 3) return { budget: reserveResultOf(reply) };
    return { budget: budget && { status: 'reserved' }, limits: limits && limitVerdictOf(reply, checks) };
  }

  async settle({ limits, budget }: GovernanceSettle): Promise<void> {
    const checks = limits ? releasedChecks(limits) : [];
    const counters = budget && budget.deltaMicros !== 0 ? budget.counters : [];
    if (checks.length === 0 && counters.length === 0) return;
    const keys = [...limitKeys(checks), ...counters.map((counter) => counter.key)];
    const lease = limits ? [limits.leaseId, limits.reservedTokens, limits.usedTokens] : ['', 0, 0];
    await this.pipeline.send('governanceSettle', [keys.length, ...keys, checks.length, counters.length, ...lease, budget?.deltaMicros ?? 0]);
  }
}
