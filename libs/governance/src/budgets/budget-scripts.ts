/**
 * The budget counters as Redis Lua, written as functions over a KEYS offset (`kb`) and an ARGV
 * offset (`ab`) so the admission script (governance-scripts.ts) runs the same code next to the
 * rate limits.
 *
 * checkBudget(kb, m, ab): KEYS[kb + 1 … kb + m] are the counters, ARGV[ab + 1] the amount and
 * ARGV[ab + 2 …] each counter's limit. Returns nil when the amount fits every counter,
 * `{2, index…}` naming the counters missing from Redis (the caller seeds them from the durable
 * spend and tries again: a missing counter is never assumed zero), or `{3, index, value}` for the
 * first counter without room. A counter at or past its limit refuses even a zero amount (an
 * unpriced model must not run on a spent budget).
 */
export const BUDGET_FUNCTIONS = `
local function checkBudget(kb, m, ab)
  local amount = tonumber(ARGV[ab + 1])
  local missing = {}
  local values = {}
  for i = 1, m do
    local value = redis.call('GET', KEYS[kb + i])
    if not value then table.insert(missing, i) else values[i] = tonumber(value) end
  end
  if #missing > 0 then return {2, unpack(missing)} end
  for i = 1, m do
    local limit = tonumber(ARGV[ab + 1 + i])
    if values[i] >= limit or values[i] + amount > limit then return {3, i, values[i]} end
  end
  return nil
end

local function applyBudget(kb, m, ab)
  for i = 1, m do redis.call('INCRBY', KEYS[kb + i], ARGV[ab + 1]) end
end

-- Adds delta (actual − reserved) to each counter that still exists; never refused.
local function adjustBudget(kb, m, delta)
  for i = 1, m do
    if redis.call('EXISTS', KEYS[kb + i]) == 1 then redis.call('INCRBY', KEYS[kb + i], delta) end
  end
end
`;

/** Reserves across every counter a request falls under, all or nothing. KEYS: counters. ARGV: amount, then per counter its limit. Replies `{1}` when reserved. */
export const RESERVE_SCRIPT = `${BUDGET_FUNCTIONS}
local refused = checkBudget(0, #KEYS, 0)
if refused then return refused end
applyBudget(0, #KEYS, 0)
return {1}
`;

/** Settles: adds actual − reserved to each counter that still exists (never refused). ARGV: delta. */
export const ADJUST_SCRIPT = `${BUDGET_FUNCTIONS}
adjustBudget(0, #KEYS, ARGV[1])
return 1
`;
