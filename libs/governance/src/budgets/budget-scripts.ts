/**
 * Reserve across every budget a request falls under, atomically (one Lua call): either each
 * counter gets `amount` added, or none does. A counter at or past its limit refuses even a
 * zero-cost request (an unpriced model must not run on a spent budget). Missing counters are
 * reported, not assumed zero: the caller seeds them from the durable spend and tries again.
 * KEYS: counters. ARGV: amount, then per counter its limit.
 */
export const RESERVE_SCRIPT = `
local amount = tonumber(ARGV[1])
local missing = {}
local values = {}
for i = 1, #KEYS do
  local value = redis.call('GET', KEYS[i])
  if not value then table.insert(missing, i) else values[i] = tonumber(value) end
end
if #missing > 0 then return {2, unpack(missing)} end
for i = 1, #KEYS do
  local limit = tonumber(ARGV[i + 1])
  if values[i] >= limit or values[i] + amount > limit then return {0, i, values[i]} end
end
for i = 1, #KEYS do redis.call('INCRBY', KEYS[i], amount) end
return {1}
`;

/** Settles: adds actual − reserved to each counter that still exists (never refused). ARGV: delta. */
export const ADJUST_SCRIPT = `
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then redis.call('INCRBY', KEYS[i], ARGV[1]) end
end
return 1
`;
