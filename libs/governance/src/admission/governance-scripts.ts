import { BUDGET_FUNCTIONS } from '../budgets/budget-scripts';
import { LIMIT_FUNCTIONS } from '../rate-limits/rate-limit-scripts';

/**
 * One request's rate limits and budgets as atomic steps, written over a KEYS offset (`kb`) and an
 * ARGV offset (`ab`) so that one script call can run the steps of many requests in turn.
 *
 * admitOne(kb, ab): the budget counters are checked, then the limits; only when both have room
 * are the request's entries and reservation added. KEYS[kb + 1 …]: four per limit check (n), then
 * the budget counters (m). ARGV[ab + 1 …]: n, m, the acquire's arguments (window, lease, tokens,
 * ttl, three limits per check), then the reservation's (amount, each counter's limit). Replies as
 * ACQUIRE_SCRIPT when the budgets had room, as RESERVE_SCRIPT's refusals (`{2, …}` missing,
 * `{3, …}` exceeded) when they had not.
 *
 * settleOne(kb, ab): KEYS as admitOne's. ARGV: n, m, lease id, reserved tokens, used tokens,
 * budget delta.
 */
const GOVERNANCE_FUNCTIONS = `${LIMIT_FUNCTIONS}${BUDGET_FUNCTIONS}
local function admitOne(kb, ab)
  local n, m = tonumber(ARGV[ab + 1]), tonumber(ARGV[ab + 2])
  local budgetArgs = ab + 2 + 4 + 3 * n
  if m > 0 then
    local refused = checkBudget(kb + 4 * n, m, budgetArgs)
    if refused then return refused end
  end
  local out = {1, 0, 0, 0}
  if n > 0 then
    local refused, ctx = checkLimits(kb, n, ab + 2)
    if refused then return refused end
    out = applyLimits(ctx)
  end
  if m > 0 then applyBudget(kb + 4 * n, m, budgetArgs) end
  return out
end

local function settleOne(kb, ab)
  local n, m = tonumber(ARGV[ab + 1]), tonumber(ARGV[ab + 2])
  if n > 0 then releaseLimits(kb, n, ARGV[ab + 3], ARGV[ab + 4], tonumber(ARGV[ab + 5])) end
  if m > 0 then adjustBudget(kb + 4 * n, m, ARGV[ab + 6]) end
  return 1
end
`;

/**
 * Runs `step` for each request of a batch, in order, and replies with their replies. ARGV[1] is
 * the number of requests; each request's part of ARGV starts with its key count and argument
 * count, followed by its arguments; its keys follow the previous request's in KEYS.
 */
const batchOf = (step: string) => `${GOVERNANCE_FUNCTIONS}
local replies, kb, ab = {}, 0, 1
for r = 1, tonumber(ARGV[1]) do
  local keyCount, argCount = tonumber(ARGV[ab + 1]), tonumber(ARGV[ab + 2])
  replies[r] = ${step}(kb, ab + 2)
  kb, ab = kb + keyCount, ab + 2 + argCount
end
return replies
`;

/** The admissions of many requests in one atomic call, each decided as if it ran alone, in order. */
export const ADMIT_BATCH_SCRIPT = batchOf('admitOne');

/** The settlements of many requests in one call. */
export const SETTLE_BATCH_SCRIPT = batchOf('settleOne');
