--- LuaSocket, which only the mock server needs. The authlete rock does not
--- depend on it, so that a gateway or an admin script installs no socket
--- library it never uses; the mock asks for it here, once, with a message
--- that says how to get it.
local ok, socket = pcall(require, "socket")
if not ok then
   error("the authlete mock server needs LuaSocket, which the authlete rock does not install: "
      .. "apt-get install lua-socket, or luarocks install luasocket", 0)
end
return socket
