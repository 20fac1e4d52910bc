import { BUDGET_FUNCTIONS } from '../budgets/budget-scripts';
import { LIMIT_FUNCTIONS } from '../rate-limits/rate-limit-scripts';

/**
 * One request's rate limits and budgets in one atomic script: the budget counters are checked,
 * then the limits; only when both have room are the request's entries and reservation added.
 * KEYS: four per limit check (n), then the budget counters (m). ARGV: n, m, the acquire's
 * arguments (window, lease, tokens, ttl, three limits per check), then the reservation's (amount,
 * each counter's limit). Replies as ACQUIRE_SCRIPT when the budgets had room, as RESERVE_SCRIPT's
 * refusals (`{2, …}` missing, `{3, …}` exceeded) when they had not.
 */
export const ADMIT_SCRIPT = `${LIMIT_FUNCTIONS}${BUDGET_FUNCTIONS}
local n, m = tonumber(ARGV[1]), tonumber(ARGV[2])
local budgetArgs = 2 + 4 + 3 * n
if m > 0 then
  local refused = checkBudget(4 * n, m, budgetArgs)
  if refused then return refused end
end
local out = {1, 0, 0, 0}
if n > 0 then
  local refused, ctx = checkLimits(0, n, 2)
  if refused then return refused end
  out = applyLimits(ctx)
end
if m > 0 then applyBudget(4 * n, m, budgetArgs) end
return out
`;

/** Settles both in one step. KEYS as ADMIT_SCRIPT's. ARGV: n, m, lease id, reserved tokens, used tokens, budget delta. */
export const SETTLE_SCRIPT = `${LIMIT_FUNCTIONS}${BUDGET_FUNCTIONS}
local n, m = tonumber(ARGV[1]), tonumber(ARGV[2])
if n > 0 then releaseLimits(0, n, ARGV[3], ARGV[4], tonumber(ARGV[5])) end
if m > 0 then adjustBudget(4 * n, m, ARGV[6]) end
return 1
`;
