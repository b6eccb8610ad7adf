/**
 * The Lua scripts of `blockstate/redis` (docs/08).
 *
 * @packageDocumentation
 */

// Lua scripts: each runs atomically in Redis, so a lock, a read and a write are one round trip.

/**
 * A Global's value as a Lua table, from the hash at KEYS[1]: {bytes, version, epoch}, each false
 * when absent; {false, false, false, type} when the key is not a hash (written by hand or by
 * another app), rather than failing the script.
 */
const READ_VALUE = `local t = redis.call('TYPE', KEYS[1]).ok
local r = {false, false, false}
if t == 'hash' then r = redis.call('HMGET', KEYS[1], 'v', 'n', 'e')
elseif t ~= 'none' then r = {false, false, false, t} end`;

/** KEYS: value. A Global's value: {bytes, version, epoch[, type]} (see READ_VALUE). */
export const READ = `
${READ_VALUE}
return r`;

/**
 * KEYS: value, lock. ARGV: token, ms. Takes the lock (or renews it, when this process holds it
 * already): {1, bytes, version, epoch[, type]} (see READ_VALUE) or {0, ms left}.
 */
export const LOCK = `
local o = redis.call('GET', KEYS[2])
if not o or o == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
  ${READ_VALUE}
  return {1, r[1], r[2], r[3], r[4]}
end
return {0, redis.call('PTTL', KEYS[2])}`;

/**
 * KEYS: value, lock. ARGV: token ('' for a write without the lock), bytes, channel, id, origin,
 * keep ('1': keep the lock, renewed for ms), ms. Writes, frees (or keeps) the lock, publishes
 * the change `e|origin|id|version|epoch|bytes` (`e`, not the epoch-less `c` of earlier builds,
 * which a process of either build then ignores instead of misreading); returns {version,
 * epoch}, or -1 when the lock is lost. When the count starts again (the key gone: deleted, evicted, a Redis restarted empty),
 * so does a new epoch (Redis's time), so that processes tell the new count's versions from the
 * old one's. A version that is not a count, or a key that is not a hash
 * (written by hand or by another app), starts again too, rather than failing every write.
 */
export const WRITE = `
if ARGV[1] ~= '' then
  if redis.call('GET', KEYS[2]) ~= ARGV[1] then return -1 end
  if ARGV[6] == '1' then redis.call('PEXPIRE', KEYS[2], ARGV[7]) else redis.call('DEL', KEYS[2]) end
end
local t = redis.call('TYPE', KEYS[1]).ok
if t ~= 'hash' and t ~= 'none' then redis.call('DEL', KEYS[1]) end
local r = redis.call('HMGET', KEYS[1], 'n', 'e')
local n = tonumber(r[1])
local e = r[2] or ''
if not n or n ~= math.floor(n) or n < 0 or n >= 9007199254740991 then
  local time = redis.call('TIME')
  n = 0
  e = time[1] .. '.' .. time[2]
end
n = n + 1
local version = string.format('%.0f', n)
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'n', version, 'e', e)
redis.call('PUBLISH', ARGV[3], 'e|' .. ARGV[5] .. '|' .. ARGV[4] .. '|' .. version .. '|' .. e .. '|' .. ARGV[2])
return {n, e}`;

/** KEYS: lock. ARGV: token, channel, id. Frees the lock if held; tells waiters. */
export const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], 'u|' .. ARGV[3])
end
return 1`;

// Sessions. The index (a sorted set) lists every saved session, scored by when its lease runs
// out (Redis's own clock, ms): a session whose score has passed and whose lease is gone was left
// by its process, and another adopts it (ADOPT).

/** Redis's clock in ms, as a Lua expression (TIME: seconds and microseconds). */
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * KEYS: lease, data, index. ARGV: token, lease ms, bytes, data ms, hash. Saves if the lease is
 * free or ours, and lists the session until the lease's end.
 */
export const SAVE = `
local o = redis.call('GET', KEYS[1])
if o and o ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
${NOW}
redis.call('ZADD', KEYS[3], string.format('%.0f', now + ARGV[2]), ARGV[5])
return 1`;

/**
 * A session's saved bytes as a Lua value, from the key named `data`: its bytes, false when absent,
 * or {type} when the key is not a string (written by hand or by another app), rather than
 * failing the script.
 */
const savedData = (data: string) => `local t = redis.call('TYPE', ${data}).ok
local saved = false
if t == 'string' then saved = redis.call('GET', ${data}) elseif t ~= 'none' then saved = {t} end`;

/**
 * KEYS: lease, data, index. ARGV: token, lease ms, hash. Takes the lease: {1, saved bytes (see
 * savedData)} or {0, ms left}.
 */
export const RESUME = `
local o = redis.call('GET', KEYS[1])
if o and o ~= ARGV[1] then return {0, redis.call('PTTL', KEYS[1])} end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
${NOW}
redis.call('ZADD', KEYS[3], 'XX', string.format('%.0f', now + ARGV[2]), ARGV[3])
${savedData("KEYS[2]")}
return {1, saved}`;

/** KEYS: leases. ARGV: token, lease ms. Renews the leases still ours (the relay's readers). */
export const RENEW = `
for _, k in ipairs(KEYS) do
  if redis.call('GET', k) == ARGV[1] then redis.call('PEXPIRE', k, ARGV[2]) end
end
return 1`;

/**
 * KEYS: index, then each session's lease and data. ARGV: token, lease ms, data ms, then the
 * sessions' hashes. Renews the leases still ours, their scores in the index and their saved
 * values (which then last `sessionTtl` past the owner's last renewal, however long it holds the
 * session unchanged). Returns the hashes to save again: whose lease is not ours any more
 * (expired, taken by another process, or gone with a Redis restarted empty), or whose saved
 * values are gone.
 */
export const RENEW_SESSIONS = `
${NOW}
local at = string.format('%.0f', now + ARGV[2])
local lost = {}
for i = 2, #KEYS, 2 do
  local h = ARGV[i / 2 + 3]
  if redis.call('GET', KEYS[i]) == ARGV[1] then
    redis.call('PEXPIRE', KEYS[i], ARGV[2])
    redis.call('ZADD', KEYS[1], 'XX', at, h)
    if redis.call('PEXPIRE', KEYS[i + 1], ARGV[3]) == 0 then lost[#lost + 1] = h end
  else
    lost[#lost + 1] = h
  end
end
return lost`;

/**
 * KEYS: lease, data, index. ARGV: token, forget ('1': delete the data too), channel, hash,
 * lease ms. Frees the lease if ours, and tells a process waiting to resume the session. A
 * session kept (not forgotten) may be adopted once a lease time has passed with no process
 * taking it.
 */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  if ARGV[2] == '1' then
    redis.call('DEL', KEYS[2])
    redis.call('ZREM', KEYS[3], ARGV[4])
  else
    ${NOW}
    redis.call('ZADD', KEYS[3], 'XX', string.format('%.0f', now + ARGV[5]), ARGV[4])
  end
  redis.call('PUBLISH', ARGV[3], 's|' .. ARGV[4])
end
return 1`;

/**
 * KEYS: index. ARGV: token, lease ms, most to look at, key prefix ('<prefix>:'). Looks at the
 * listed sessions whose score has passed, oldest first, at most that many: one with no lease
 * and saved values is adopted (its lease taken); one with a lease is listed anew at its end;
 * one whose values are gone (`sessionTtl`) leaves the index. Returns {hash, ms since its lease
 * ran out, saved bytes (see savedData), ...} for the adopted ones: saved values of another type
 * are adopted too, for the adopting process to report and delete them.
 */
export const ADOPT = `
${NOW}
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for i = 1, #due, 2 do
  local h = due[i]
  local lease = ARGV[4] .. 'sl:' .. h
  local left = redis.call('PTTL', lease)
  if left > 0 then
    redis.call('ZADD', KEYS[1], string.format('%.0f', now + left), h)
  else
    ${savedData("ARGV[4] .. 's:' .. h")}
    if saved then
      redis.call('SET', lease, ARGV[1], 'PX', ARGV[2])
      redis.call('ZADD', KEYS[1], string.format('%.0f', now + ARGV[2]), h)
      out[#out + 1] = h
      out[#out + 1] = now - tonumber(due[i + 1])
      out[#out + 1] = saved
    else
      redis.call('ZREM', KEYS[1], h)
    end
  end
end
return out`;

/**
 * KEYS: reader, kept, kept bytes. ARGV: channel, message, max bytes, keep ms, overflow marker.
 * To the reader (its token first) or kept for the next; 0 when dropped: the first message that
 * does not fit in max bytes kept is replaced by the marker, and none is kept after it (the
 * bytes then read max + 1).
 */
export const RELAY = `
local r = redis.call('GET', KEYS[1])
if r then
  redis.call('PUBLISH', ARGV[1], r .. '|' .. ARGV[2])
  return 1
end
local b = tonumber(redis.call('GET', KEYS[3]) or '0')
local max = tonumber(ARGV[3])
if b > max then return 0 end
if b + #ARGV[2] > max then
  redis.call('RPUSH', KEYS[2], ARGV[5])
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
  redis.call('SET', KEYS[3], max + 1, 'PX', ARGV[4])
  return 0
end
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('SET', KEYS[3], b + #ARGV[2], 'PX', ARGV[4])
return 1`;

/** KEYS: reader, kept, kept bytes. ARGV: token, ms. Becomes the reader; returns what was kept. */
export const TAKE = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local kept = redis.call('LRANGE', KEYS[2], 0, -1)
redis.call('DEL', KEYS[2], KEYS[3])
return kept`;

/** KEYS: reader. ARGV: token. Stops being the reader (messages are kept again). */
export const LEAVE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;
