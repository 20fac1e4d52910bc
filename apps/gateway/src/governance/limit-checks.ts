import type { ConfiguredLimits, ScopedLimit } from '@app/config';
import { coveringPaths, type LimitCheck } from '@app/governance';
import type { Caller } from '../auth/caller';

function check(subject: string, limits: ConfiguredLimits | null | undefined): LimitCheck | undefined {
  if (!limits || (!limits.requestsPerMinute && !limits.tokensPerMinute && !limits.maxParallel)) return undefined;
  return { subject, requestsPerMinute: limits.requestsPerMinute, tokensPerMinute: limits.tokensPerMinute, maxParallel: limits.maxParallel };
}

/**
 * The limits a request is counted against: its managed key's own, the configured ones of its user
 * path and every ancestor (a limit on `/acme` is shared by everything under it), and its model's.
 */
export class LimitChecks {
  private readonly byPath = new Map<string, ConfiguredLimits>();
  private readonly byModel = new Map<string, ConfiguredLimits>();

  constructor(configured: readonly ScopedLimit[]) {
    for (const limit of configured) (limit.scope === 'user' ? this.byPath : this.byModel).set(limit.match, limit.limits);
  }

  for(caller: Caller, model: string | undefined): LimitCheck[] {
    const checks: LimitCheck[] = [];
    const own = caller.keyId === null ? undefined : check(`key:${caller.keyId}`, caller.limits);
    if (own) checks.push(own);
    if (caller.userPath !== null && this.byPath.size > 0) {
      for (const path of coveringPaths(caller.userPath)) {
        const found = check(`user:${path}`, this.byPath.get(path));
        if (found) checks.push(found);
      }
    }
    const byModel = model === undefined || this.byModel.size === 0 ? undefined : check(`model:${model}`, this.byModel.get(model));
    if (byModel) checks.push(byModel);
    return checks;
  }
}
