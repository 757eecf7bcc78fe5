--- What may go into an HTTP header line we send: a name that is an RFC 9110
--- token, and a value without CR, LF or NUL, which would end the line early
--- and let a caller's string inject headers or a second request. One rule
--- for the client's options, the bearer, the cosocket transport and the
--- mock's faults (libcurl's session checks the same in C).
local header = {}

--- Whether `name` is a field name (a token).
function header.name_ok(name)
   return type(name) == "string" and name ~= "" and not name:find("[^%w!#$%%&'*+.^_`|~-]")
end

--- Whether `value` is a string that keeps to its line.
function header.value_ok(value)
   return type(value) == "string" and not value:find("[\r\n%z]")
end

return header
