/**
 * The rate-limit counters as Redis Lua: each script runs atomically on the server, so replicas
 * never race between reading a count and adding to it. Time is Redis's own clock (TIME), so the
 * replicas' clock skew does not move the window. Four keys per check: the request log (ZSET of
 * lease ids scored by admission time), the token log (members `<lease>:<tokens>`), the token sum
 * of that log, and the in-flight leases (ZSET scored by expiry).
 *
 * Sliding-window log, not GCRA or a token bucket: a bucket refills while a burst is still inside
 * the minute, so a 100 RPM bucket admits more than 100 requests in some 60 s window; the log
 * admits exactly the limit in every window, at the cost of one entry per admitted request.
 *
 * The logic is written as Lua functions over a KEYS offset (`kb`) and an ARGV offset (`ab`), so
 * the admission script (governance-scripts.ts) runs the same code next to the budget check.
 */

/**
 * checkLimits(kb, n, ab) and applyLimits(ctx). KEYS[kb + 1 …]: four per check. ARGV[ab + 1 …]:
 * window ms, lease id, tokens, lease ttl ms, then per check rpm, tpm, parallel (0 = none).
 * checkLimits returns a refusal `{0, check, kind, wait ms}` (kind 1 requests, 2 tokens,
 * 3 concurrency) having added nothing, or nil and the context applyLimits adds the request with;
 * applyLimits returns `{1, 0, 0, 0}` followed by four numbers per check (requests remaining and
 * reset, tokens remaining and reset; -1 where that limit is not set).
 */
export const LIMIT_FUNCTIONS = `
local function entryTokens(member)
  return tonumber(string.match(member, ':(%d+)$')) or 0
end

local function resetAfter(ctx, key)
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  if #oldest == 0 then return 0 end
  return math.max(0, tonumber(oldest[2]) + ctx.window - ctx.now)
end

-- The wait until enough old token entries leave the window for this request to fit.
local function tokenWait(ctx, key, sum, limit)
  if ctx.tokens > limit then return ctx.window end
  local entries = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
  for j = 1, #entries, 2 do
    sum = sum - entryTokens(entries[j])
    if sum + ctx.tokens <= limit then return math.max(1, tonumber(entries[j + 1]) + ctx.window - ctx.now) end
  end
  return ctx.window
end

local function checkLimits(kb, n, ab)
  local t = redis.call('TIME')
  local ctx = {
    kb = kb, n = n, now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000),
    window = tonumber(ARGV[ab + 1]), lease = ARGV[ab + 2], tokens = tonumber(ARGV[ab + 3]), ttl = tonumber(ARGV[ab + 4]),
    counts = {},
  }
  local cutoff = ctx.now - ctx.window
  for i = 1, n do
    local b, a = kb + (i - 1) * 4, ab + 4 + (i - 1) * 3
    local rpm, tpm, par = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
    local requests, sum = 0, 0
    if rpm > 0 then
      redis.call('ZREMRANGEBYSCORE', KEYS[b + 1], '-inf', cutoff)
      requests = redis.call('ZCARD', KEYS[b + 1])
      if requests >= rpm then
        local nth = redis.call('ZRANGE', KEYS[b + 1], requests - rpm, requests - rpm, 'WITHSCORES')
        return {0, i, 1, math.max(1, tonumber(nth[2]) + ctx.window - ctx.now)}
      end
    end
    if tpm > 0 then
      local old = redis.call('ZRANGEBYSCORE', KEYS[b + 2], '-inf', cutoff)
      if #old > 0 then
        local freed = 0
        for _, member in ipairs(old) do freed = freed + entryTokens(member) end
        redis.call('ZREMRANGEBYSCORE', KEYS[b + 2], '-inf', cutoff)
        redis.call('DECRBY', KEYS[b + 3], freed)
      end
      if redis.call('ZCARD', KEYS[b + 2]) == 0 then redis.call('DEL', KEYS[b + 3]) end
      sum = math.max(0, tonumber(redis.call('GET', KEYS[b + 3]) or '0'))
      if sum + ctx.tokens > tpm then return {0, i, 2, tokenWait(ctx, KEYS[b + 2], sum, tpm)} end
    end
    if par > 0 then
      redis.call('ZREMRANGEBYSCORE', KEYS[b + 4], '-inf', ctx.now)
      if redis.call('ZCARD', KEYS[b + 4]) >= par then return {0, i, 3, 1000} end
    end
    ctx.counts[i] = {rpm, tpm, par, requests, sum}
  end
  return nil, ctx
end

local function applyLimits(ctx)
  local out = {1, 0, 0, 0}
  for i = 1, ctx.n do
    local b = ctx.kb + (i - 1) * 4
    local rpm, tpm, par, requests, sum = unpack(ctx.counts[i])
    local rr, rreset, tr, treset = -1, 0, -1, 0
    if rpm > 0 then
      redis.call('ZADD', KEYS[b + 1], ctx.now, ctx.lease)
      redis.call('PEXPIRE', KEYS[b + 1], ctx.window)
      rr, rreset = rpm - requests - 1, resetAfter(ctx, KEYS[b + 1])
    end
    if tpm > 0 then
      redis.call('ZADD', KEYS[b + 2], ctx.now, ctx.lease .. ':' .. ctx.tokens)
      redis.call('INCRBY', KEYS[b + 3], ctx.tokens)
      redis.call('PEXPIRE', KEYS[b + 2], ctx.window)
      redis.call('PEXPIRE', KEYS[b + 3], ctx.window)
      tr, treset = math.max(0, tpm - sum - ctx.tokens), resetAfter(ctx, KEYS[b + 2])
    end
    if par > 0 then
      redis.call('ZADD', KEYS[b + 4], ctx.now + ctx.ttl, ctx.lease)
      redis.call('PEXPIRE', KEYS[b + 4], ctx.ttl)
    end
    table.insert(out, rr)
    table.insert(out, rreset)
    table.insert(out, tr)
    table.insert(out, treset)
  end
  return out
end

-- Frees the lease's in-flight slot and corrects its token entry to what was used.
local function releaseLimits(kb, n, lease, reserved, used)
  for i = 1, n do
    local b = kb + (i - 1) * 4
    redis.call('ZREM', KEYS[b + 4], lease)
    local member = lease .. ':' .. reserved
    local score = redis.call('ZSCORE', KEYS[b + 2], member)
    if score and used ~= tonumber(reserved) then
      redis.call('ZREM', KEYS[b + 2], member)
      redis.call('ZADD', KEYS[b + 2], score, lease .. ':' .. used)
      local sum = redis.call('INCRBY', KEYS[b + 3], used - tonumber(reserved))
      if sum < 0 then redis.call('SET', KEYS[b + 3], 0) end
    end
  end
end
`;

/** KEYS: four per check. ARGV: window ms, lease id, tokens, lease ttl ms, then per check rpm, tpm, parallel. */
export const ACQUIRE_SCRIPT = `${LIMIT_FUNCTIONS}
local refused, ctx = checkLimits(0, #KEYS / 4, 0)
if refused then return refused end
return applyLimits(ctx)
`;

/** ARGV: lease id, reserved tokens, used tokens. Same four keys per check as ACQUIRE_SCRIPT. */
export const RELEASE_SCRIPT = `${LIMIT_FUNCTIONS}
releaseLimits(0, #KEYS / 4, ARGV[1], ARGV[2], tonumber(ARGV[3]))
return 1
`;
