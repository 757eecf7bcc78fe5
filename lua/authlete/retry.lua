--- When to try a call again, and how long to wait first.
---
--- Attempt k (k = 0 for the first retry) waits
--- min(max_interval, initial_interval * exponent^k), plus up to 10% jitter;
--- a Retry-After header (seconds or an HTTP date) wins when present, capped
--- at max_interval. The caller stops when the wait would pass the call's
--- deadline or max_elapsed_time.
local utc = require("authlete.utc")

local retry = {}

local MONTHS = { Jan = 1, Feb = 2, Mar = 3, Apr = 4, May = 5, Jun = 6,
                 Jul = 7, Aug = 8, Sep = 9, Oct = 10, Nov = 11, Dec = 12 }

--- Seconds since the epoch of an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT").
local function http_date(s)
   local d, mon, y, h, mi, sec = s:match("^%a%a%a, (%d%d) (%a%a%a) (%d%d%d%d) (%d%d):(%d%d):(%d%d) GMT$")
   if not d or not MONTHS[mon] then return nil end
   y, d, h, mi, sec = tonumber(y), tonumber(d), tonumber(h), tonumber(mi), tonumber(sec)
   if not utc.valid(y, MONTHS[mon], d, h, mi, sec) then return nil end
   return utc.epoch(y, MONTHS[mon], d, h, mi, sec)
end

--- The wait a Retry-After value asks for, in ms; nil when absent, zero or
--- unparsable (the backoff formula applies then).
function retry.after_ms(value)
   if type(value) ~= "string" then return nil end
   value = value:match("^%s*(.-)%s*$")
   local seconds = value:match("^%d+$") and tonumber(value)
   if not seconds then
      local at = http_date(value)
      seconds = at and os.difftime(at, os.time())
   end
   if not seconds or seconds <= 0 then return nil end
   return seconds * 1000
end

--- The wait before retry number k (0-based), in ms.
function retry.backoff_ms(cfg, k, retry_after)
   if retry_after then return math.min(retry_after, cfg.max_interval) end
   local base = math.min(cfg.max_interval, cfg.initial_interval * cfg.exponent ^ k)
   return math.min(cfg.max_interval, base * (1 + 0.1 * math.random()))
end

--- Does the policy retry answers with this status at all? (Checked before
--- Retry-After is read: most answers are not retried.)
function retry.status_retryable(cfg, status)
   return cfg.strategy == "backoff" and cfg.retryable_status(status)
end

--- May an answer with this status be retried? `unsafe` operations (create:
--- a retry could mint a second token) only when the server says it did no
--- work and asks to be called again: 429 or 503 with Retry-After.
function retry.status_allows(cfg, status, unsafe, retry_after)
   if not retry.status_retryable(cfg, status) then return false end
   if unsafe then return (status == 429 or status == 503) and retry_after ~= nil end
   return true
end

--- May a transport failure be retried? Only with retry_connection_errors,
--- never when the answer was too large (it will be again), and for unsafe
--- operations only when the request certainly never reached the server.
function retry.failure_allows(cfg, kind, sent, unsafe)
   if cfg.strategy ~= "backoff" or not cfg.retry_connection_errors then return false end
   if kind == "too_large" then return false end
   if unsafe then return sent == false end
   return true
end

return retry
