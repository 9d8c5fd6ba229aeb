-- Tiergate quota ledger: every read and write of quota state in Redis happens in this one script, so each
-- operation is atomic. Keys (see QuotaKeys.java), three per account, all in the provider's hash slot:
--   usage   hash  m.start, h.start, d.start, <window>.<unit>.used / .res for windows m (minute), h (hour), d (day) and
--                 units req, tok, aud; cool
--   pending zset  reservation nonce -> expiry (epoch ms)
--   held    hash  reservation nonce -> "minuteStart hourStart dayStart tokens audioSeconds requests", or that after
--                 EXPIRED once its hold was refunded unsettled (kept until the retention the caller passes has passed
--                 again, so that a late commit still counts while a commit of an id never granted counts nothing)
-- and, after an operation's account keys, the provider's
--   settled zset  nonce of a settled reservation or an added batch of usage -> when it may be forgotten (Redis ms)
-- A reservation may hold a block of several calls (an allotment a replica then hands out from memory).
-- The caller passes its clock reading and window starts, so time comes from one injectable clock and Redis
-- keeps none of its own; only how long settled nonces are remembered runs on Redis's clock, as it bounds how
-- late a command Redis has already run may arrive again. ARGV[1] names the operation; its arguments follow.
--
-- A caller that gives up waiting for Redis (a timeout, a frozen server) may have its command run later anyway,
-- and replays settlements it kept meanwhile. So every operation that changes counts is idempotent by nonce: a
-- settled nonce is remembered, a repeated commit, release or record of it does nothing, and a reservation whose
-- caller gave up is voided (see void) so that it holds nothing even when it runs after the void.

local UNITS = {'req', 'tok', 'aud'}
local WINDOWS = {'m', 'h', 'd'}
local NO_LIMIT = -1
local EXPIRED = 'expired'
local AS_HELD = -1
local PURGE_BATCH = 256

local function field(w, u, kind)
  return w .. '.' .. u .. '.' .. kind
end

-- used and reserved per unit and window, units outermost; reserve and report read them in this order
local COUNTERS = {}
for _, u in ipairs(UNITS) do
  for _, w in ipairs(WINDOWS) do
    COUNTERS[#COUNTERS + 1] = field(w, u, 'used')
    COUNTERS[#COUNTERS + 1] = field(w, u, 'res')
  end
end
-- what reserve reads of an account: each window's start, the cooldown end, then COUNTERS
local STATE = {}
for _, w in ipairs(WINDOWS) do
  STATE[#STATE + 1] = w .. '.start'
end
STATE[#STATE + 1] = 'cool'
local COOL = #STATE
for _, counter in ipairs(COUNTERS) do
  STATE[#STATE + 1] = counter
end

-- Starts a new window when the caller's window is newer than the stored one. A caller whose clock lags keeps
-- using the stored window rather than rolling it back. Returns the window start in force.
local function roll(usage, w, start)
  local stored = tonumber(redis.call('HGET', usage, w .. '.start'))
  if stored ~= nil and stored >= start then
    return stored
  end
  local reset = {w .. '.start', start}
  for _, u in ipairs(UNITS) do
    reset[#reset + 1] = field(w, u, 'used'); reset[#reset + 1] = 0
    reset[#reset + 1] = field(w, u, 'res'); reset[#reset + 1] = 0
  end
  redis.call('HSET', usage, unpack(reset))
  return start
end

local function add(usage, w, kind, amounts, sign)
  for i, u in ipairs(UNITS) do
    if amounts[i] ~= 0 then
      redis.call('HINCRBY', usage, field(w, u, kind), sign * amounts[i])
    end
  end
end

-- A hold made before hour windows existed reads "minuteStart dayStart tokens audioSeconds [requests]": it holds
-- nothing in an hour window.
local function parse_hold(hold)
  local n = {}
  for value in string.gmatch(hold, '%d+') do
    n[#n + 1] = tonumber(value)
  end
  if #n == 6 then
    return {m = n[1], h = n[2], d = n[3]}, {n[6], n[4], n[5]}
  end
  return {m = n[1], d = n[2]}, {n[5] or 1, n[3], n[4]}
end

-- Takes a reservation's hold off the windows it was made in, where those are still the current ones (a window
-- that has rolled over since started from zero), and forgets the reservation. Returns the windows still current (or
-- EXPIRED when the hold was refunded already) and the amounts held, then the hold as stored; nil when no reservation
-- of that nonce is known.
local function unhold(keys, nonce)
  local hold = redis.call('HGET', keys.held, nonce)
  if not hold then
    return nil
  end
  redis.call('HDEL', keys.held, nonce)
  redis.call('ZREM', keys.pending, nonce)
  if string.sub(hold, 1, #EXPIRED) == EXPIRED then
    local _, amounts = parse_hold(string.sub(hold, #EXPIRED + 2))
    return EXPIRED, amounts, hold
  end
  local starts, amounts = parse_hold(hold)
  local current = {}
  for _, w in ipairs(WINDOWS) do
    current[w] = tonumber(redis.call('HGET', keys.usage, w .. '.start')) == starts[w]
    if current[w] then
      add(keys.usage, w, 'res', amounts, -1)
    end
  end
  return current, amounts, hold
end

-- Refunds reservations whose caller never settled them, remembering each as EXPIRED for retention_ms more, and
-- forgets those remembered that long.
local function purge(keys, now, retention_ms)
  local due = redis.call('ZRANGEBYSCORE', keys.pending, '-inf', now, 'LIMIT', 0, PURGE_BATCH)
  for _, nonce in ipairs(due) do
    local current, _, hold = unhold(keys, nonce)
    if current ~= EXPIRED then
      redis.call('HSET', keys.held, nonce, EXPIRED .. ' ' .. hold)
      redis.call('ZADD', keys.pending, now + retention_ms, nonce)
    end
  end
end

local function account_keys(a)
  return {usage = KEYS[3 * a - 2], pending = KEYS[3 * a - 1], held = KEYS[3 * a]}
end

local function accounts()
  return math.floor(#KEYS / 3)
end

local function redis_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function settled(nonce)
  return redis.call('ZSCORE', KEYS[#KEYS], nonce) ~= false
end

-- Remembers a settled nonce for retention_ms, and forgets those remembered long enough.
local function remember_settled(nonce, retention_ms)
  local now = redis_ms()
  redis.call('ZREMRANGEBYSCORE', KEYS[#KEYS], '-inf', now)
  redis.call('ZADD', KEYS[#KEYS], now + tonumber(retention_ms), nonce)
end

-- Picks the account with the most headroom left (the smallest fraction of a limit left after one call of this
-- estimate, over all its limited units and windows), and holds a block of calls in all its windows: at most
-- ARGV[13] calls and at most the share ARGV[14] of the calls that still fit, but always one when one fits, so a
-- block shrinks to a single call near a limit and grants never exceed it. A call may take fewer tokens than
-- estimated, down to ARGV[15] (its output cap can shrink): when no account has room for the whole estimate, the one
-- with the most tokens left gets a single call of all it has left. Per account one purge and one HMGET; the
-- winner's counters are written with one HSET, as the script runs atomically. A refused window says whether its
-- used count alone is over (it frees at its reset) or only holds of calls in flight are (it frees as they settle).
-- ARGV[3] to ARGV[8] are the start and end of the minute, hour and day windows; each account's limits follow
-- ARGV[16], one per unit and window in COUNTERS order (-1 for none); ARGV[16] is how long an expired reservation is
-- remembered.
local function reserve()
  if settled(ARGV[10]) then
    return {0, {}}
  end
  local now = tonumber(ARGV[2])
  local starts = {m = tonumber(ARGV[3]), h = tonumber(ARGV[5]), d = tonumber(ARGV[7])}
  local ends = {m = tonumber(ARGV[4]), h = tonumber(ARGV[6]), d = tonumber(ARGV[8])}
  local expires_at, nonce = ARGV[9], ARGV[10]
  local need = {1, tonumber(ARGV[11]), tonumber(ARGV[12])}
  local max_block, share = tonumber(ARGV[13]), tonumber(ARGV[14])
  local fewest = {1, tonumber(ARGV[15]), need[3]}
  local retention_ms = tonumber(ARGV[16])
  local best, best_room, best_state, best_starts, best_fit = nil, -1, nil, nil, nil
  local partial, partial_tokens, partial_state, partial_starts = nil, -1, nil, nil
  local refusals = {}
  for a = 1, accounts() do
    local keys = account_keys(a)
    purge(keys, now, retention_ms)
    local state = redis.call('HMGET', keys.usage, unpack(STATE))
    local in_force = {m = starts.m, h = starts.h, d = starts.d}
    for i, w in ipairs(WINDOWS) do
      local stored = tonumber(state[i])
      if stored ~= nil and stored >= starts[w] then
        in_force[w] = stored
      else
        -- a new window: its counters read as zero, and the winner's HSET below writes its start
        for c = 1, #COUNTERS do
          if string.sub(COUNTERS[c], 1, 1) == w then state[COOL + c] = 0 end
        end
        state[i] = false
      end
    end
    local cool = tonumber(state[COOL]) or 0
    if cool > now then
      refusals[#refusals + 1] = {a, cool}
    else
      local room, fit, tokens_left, whole, exhausted = 2, math.huge, math.huge, true, {a, 0}
      local c, l = COOL + 1, 16 + (a - 1) * #COUNTERS / 2
      for ui, u in ipairs(UNITS) do
        for _, w in ipairs(WINDOWS) do
          l = l + 1
          local limit = tonumber(ARGV[l])
          if limit ~= NO_LIMIT then
            local used = tonumber(state[c]) or 0
            local free = limit - used - (tonumber(state[c + 1]) or 0)
            local left = free - need[ui]
            if need[ui] > 0 then
              fit = math.min(fit, math.floor(free / need[ui]))
            end
            if ui == 2 then
              tokens_left = math.min(tokens_left, free)
            end
            if free - fewest[ui] < 0 then
              exhausted[#exhausted + 1] = u
              exhausted[#exhausted + 1] = w
              exhausted[#exhausted + 1] = ends[w] + in_force[w] - starts[w]
              exhausted[#exhausted + 1] = (limit - used - fewest[ui] < 0) and 0 or 1
            elseif left < 0 then
              whole = false
            elseif limit > 0 then
              room = math.min(room, left / limit)
            end
          end
          c = c + 2
        end
      end
      if #exhausted > 2 then
        refusals[#refusals + 1] = exhausted
      elseif not whole then
        if tokens_left > partial_tokens then
          partial, partial_tokens, partial_state, partial_starts = a, tokens_left, state, in_force
        end
      elseif room > best_room then
        best, best_room, best_state, best_starts, best_fit = a, room, state, in_force, fit
      end
    end
  end
  local calls = max_block
  if best == nil and partial ~= nil then
    best, best_state, best_starts, best_fit = partial, partial_state, partial_starts, 1
    need[2] = partial_tokens
  end
  if best == nil then
    return {0, refusals}
  end
  if best_fit < math.huge then
    calls = math.max(1, math.min(max_block, math.floor(best_fit * share)))
  end
  local keys = account_keys(best)
  local update = {}
  for i, w in ipairs(WINDOWS) do
    if not best_state[i] then
      update[#update + 1] = w .. '.start'
      update[#update + 1] = best_starts[w]
    end
  end
  local c = COOL + 1
  for ui, _ in ipairs(UNITS) do
    for _, _ in ipairs(WINDOWS) do
      update[#update + 1] = COUNTERS[c - COOL]
      update[#update + 1] = tonumber(best_state[c]) or 0
      update[#update + 1] = COUNTERS[c - COOL + 1]
      update[#update + 1] = (tonumber(best_state[c + 1]) or 0) + need[ui] * calls
      c = c + 2
    end
  end
  redis.call('HSET', keys.usage, unpack(update))
  redis.call('HSET', keys.held, nonce, string.format('%d %d %d %d %d %d', best_starts.m, best_starts.h, best_starts.d,
    need[2] * calls, need[3] * calls, calls))
  redis.call('ZADD', keys.pending, expires_at, nonce)
  return {1, best, calls, need[2]}
end

-- Replaces a hold by the actual usage: ARGV[8] calls that used ARGV[3] tokens and ARGV[4] audio seconds in all (-1:
-- what the reservation held of it), as of the minute, hour and day windows starting at ARGV[5], ARGV[6] and ARGV[7].
-- Requests count where the reservation was made; tokens and audio count in the current window even when the call
-- outlived the window it started in. An expired reservation's usage is still counted: the provider counted it.
-- A nonce Redis does not know counts nothing unless ARGV[10] is 1: a caller replaying its own commit after Redis
-- lost its data vouches for it, while an id from outside could be one never granted.
-- Returns 1 when the hold was there, 0 when it had expired (or is vouched for), 2 when the reservation was settled
-- already and 3 when it is unknown (in both, nothing is counted); the nonce is remembered for ARGV[9] ms.
local function commit()
  local keys = account_keys(1)
  local nonce, actual = ARGV[2], {tonumber(ARGV[8]), tonumber(ARGV[3]), tonumber(ARGV[4])}
  if settled(nonce) then
    return 2
  end
  for i, w in ipairs(WINDOWS) do
    roll(keys.usage, w, tonumber(ARGV[4 + i]))
  end
  local current, held = unhold(keys, nonce)
  if current == nil and ARGV[10] ~= '1' then
    return 3
  end
  for u = 2, 3 do
    if actual[u] == AS_HELD then
      actual[u] = held and held[u] or 0
    end
  end
  local ended = current == nil or current == EXPIRED
  for _, w in ipairs(WINDOWS) do
    if ended or current[w] then
      add(keys.usage, w, 'used', actual, 1)
    else
      add(keys.usage, w, 'used', {0, actual[2], actual[3]}, 1)
    end
  end
  remember_settled(nonce, ARGV[9])
  return ended and 0 or 1
end

-- Returns 1 when the hold was there, 0 when it had expired or was settled already, 3 when no reservation of that
-- nonce is known; the nonce is remembered for ARGV[3] ms.
local function release()
  local nonce = ARGV[2]
  if settled(nonce) then
    return 0
  end
  local current = unhold(account_keys(1), nonce)
  if current == nil then
    return 3
  end
  remember_settled(nonce, ARGV[3])
  return current == EXPIRED and 0 or 1
end

-- Voids reservation ARGV[2], whose caller gave up waiting for it: refunds its hold on whichever account got it,
-- and remembers the nonce for ARGV[3] ms so that the reservation, should it still be on its way, holds nothing.
local function void()
  local nonce = ARGV[2]
  local voided = 0
  for a = 1, accounts() do
    local current = unhold(account_keys(a), nonce)
    if current ~= nil and current ~= EXPIRED then
      voided = 1
    end
  end
  remember_settled(nonce, ARGV[3])
  return voided
end

-- Cools an account down until ARGV[2] (a later cooldown already in force stays) and publishes the end in force on
-- channel ARGV[3] as "ARGV[4]\n<end>", so replicas stop handing out calls of it from their blocks at once.
local function cooldown()
  local usage, until_ms = KEYS[1], tonumber(ARGV[2])
  local cool = tonumber(redis.call('HGET', usage, 'cool')) or 0
  if until_ms > cool then
    redis.call('HSET', usage, 'cool', until_ms)
    cool = until_ms
  end
  redis.call('PUBLISH', ARGV[3], ARGV[4] .. '\n' .. string.format('%d', cool))
  return cool
end

-- Adds batch ARGV[7] of usage counted elsewhere (in a replica's memory while Redis was away) to the window that
-- started at ARGV[3], unless that window is already over or the batch was added before; the batch is remembered
-- for ARGV[8] ms.
local function record()
  local usage, w, start, batch = KEYS[1], ARGV[2], tonumber(ARGV[3]), ARGV[7]
  if settled(batch) then
    return 0
  end
  remember_settled(batch, ARGV[8])
  if roll(usage, w, start) == start then
    add(usage, w, 'used', {tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])}, 1)
    return 1
  end
  return 0
end

-- Marks replica ARGV[2] alive in the zset KEYS[1] (replica -> last seen), forgets replicas not seen for ARGV[3]
-- ms, and returns how many are alive, this one included. Redis's clock decides, as replicas' clocks may differ.
local function heartbeat()
  local replicas, now, stale_after = KEYS[1], redis_ms(), tonumber(ARGV[3])
  redis.call('ZADD', replicas, now, ARGV[2])
  redis.call('ZREMRANGEBYSCORE', replicas, '-inf', now - stale_after)
  redis.call('PEXPIRE', replicas, stale_after)
  return redis.call('ZCARD', replicas)
end

-- Per account: cooldown end, then used and reserved for each unit and window in COUNTERS order; a stored
-- window older than the caller's (minute, hour and day starts in ARGV[3] to ARGV[5]) reads as empty. ARGV[6] is
-- how long an expired reservation is remembered.
local function report()
  local now, starts = tonumber(ARGV[2]), {m = tonumber(ARGV[3]), h = tonumber(ARGV[4]), d = tonumber(ARGV[5])}
  local out = {}
  for a = 1, accounts() do
    local keys = account_keys(a)
    purge(keys, now, tonumber(ARGV[6]))
    local stored = redis.call('HMGET', keys.usage, unpack(STATE, 1, COOL))
    local counts = redis.call('HMGET', keys.usage, unpack(COUNTERS))
    local row = {tonumber(stored[COOL]) or 0}
    local c = 1
    for _, u in ipairs(UNITS) do
      for i, w in ipairs(WINDOWS) do
        local fresh = (tonumber(stored[i]) or -1) >= starts[w]
        row[#row + 1] = fresh and (tonumber(counts[c]) or 0) or 0
        row[#row + 1] = fresh and (tonumber(counts[c + 1]) or 0) or 0
        c = c + 2
      end
    end
    out[a] = row
  end
  return out
end

local OPS = {reserve = reserve, commit = commit, release = release, void = void, cooldown = cooldown, record = record,
             heartbeat = heartbeat, report = report}
local op = OPS[ARGV[1]]
if op == nil then
  return redis.error_reply('unknown quota operation ' .. tostring(ARGV[1]))
end
return op()
