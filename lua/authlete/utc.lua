--- UTC calendar arithmetic, without the local time zone that os.time()
--- applies to a date table: the seconds since the epoch of a UTC date and
--- time. One place for the command line's times and Retry-After dates.
local compat = require("authlete.compat")

local utc = {}

local DAYS = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }

--- Whether y-mo-d h:mi:s is a real date and time (a leap second is not).
function utc.valid(y, mo, d, h, mi, s)
   local leap = y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0)
   return mo >= 1 and mo <= 12 and d >= 1 and d <= DAYS[mo] and not (mo == 2 and d == 29 and not leap)
      and h >= 0 and h <= 23 and mi >= 0 and mi <= 59 and s >= 0 and s <= 59
end

--- Seconds since 1970-01-01T00:00:00Z of a valid date (proleptic Gregorian
--- calendar: days counted from March, so that February's length comes last).
function utc.epoch(y, mo, d, h, mi, s)
   local yy, mm = mo <= 2 and y - 1 or y, mo <= 2 and mo + 9 or mo - 3
   local era = compat.idiv(yy, 400)
   local yoe = yy - era * 400
   local doy = compat.idiv(153 * mm + 2, 5) + d - 1
   local days = era * 146097 + yoe * 365 + compat.idiv(yoe, 4) - compat.idiv(yoe, 100) + doy - 719468
   return days * 86400 + h * 3600 + mi * 60 + s
end

return utc
