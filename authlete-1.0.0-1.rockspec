-- LuaRocks release of lua-authlete 1.0.0. Everything from `description`
-- down is the same as in authlete-scm-1.rockspec (a spec compares them).
-- `make rock` replaces @REF@ with `git describe --tags --always` and packs
-- the tree at that ref beside this file into authlete-1.0.0-1.src.rock, which
-- installs with no network: luarocks install ./authlete-1.0.0-1.src.rock
-- Only libcurl's library is located here; its header is found by the
-- compiler itself, because Debian keeps curl/curl.h in a multiarch include
-- directory that luarocks 3.8's header search misses.
rockspec_format = "3.0"
package = "authlete"
version = "1.0.0-1"
source = {
   url = "https://github.com/lua-authlete/lua-authlete/archive/@REF@.tar.gz",
   dir = "lua-authlete-@REF@",
}
description = {
   summary = "Authlete token-management API client for Lua 5.4 and OpenResty",
   detailed = [[
List, create, update, delete and revoke OAuth access tokens through
Authlete's token-management API. A C core marshals requests and responses
against the API's declared models; libcurl (or OpenResty cosockets) moves
the bytes. Ships a stateful mock Authlete server for tests.]],
   license = "Apache-2.0",
}
-- LuaSocket is not among them: only the mock server needs it, and says so
-- when it is missing (apt-get install lua-socket, or luarocks install luasocket).
dependencies = {
   "lua >= 5.1, < 5.5",
}
external_dependencies = {
   CURL = { library = "curl" },
}
build = {
   type = "builtin",
   -- LuaLS annotations (make types), for editors: point workspace.library at them
   copy_directories = { "types" },
   modules = {
      ["authlete.core"] = {
         sources = {
            "csrc/core/buffer.c",
            "csrc/core/decode.c",
            "csrc/core/describe.c",
            "csrc/core/encode.c",
            "csrc/core/failure.c",
            "csrc/core/lcore.c",
            "csrc/core/models.c",
            "csrc/core/operations.c",
            "csrc/core/parse.c",
            "csrc/core/prepare.c",
            "csrc/core/read.c",
            "csrc/core/suggest.c",
            "csrc/core/utf8.c",
            "csrc/core/write.c",
         },
         incdirs = { "csrc" },
      },
      ["authlete.curl"] = {
         sources = { "csrc/curl/headers.c", "csrc/curl/lcurl.c", "csrc/curl/lmulti.c", "csrc/curl/lsession.c",
                     "csrc/curl/session.c" },
         incdirs = { "csrc" },
         libraries = { "curl" },
         libdirs = { "$(CURL_LIBDIR)" },
      },
      ["authlete"] = "lua/authlete/init.lua",
      ["authlete.cli"] = "lua/authlete/cli/init.lua",
      ["authlete.cli.args"] = "lua/authlete/cli/args.lua",
      ["authlete.cli.checkpoint"] = "lua/authlete/cli/checkpoint.lua",
      ["authlete.cli.config"] = "lua/authlete/cli/config.lua",
      ["authlete.cli.csv"] = "lua/authlete/cli/csv.lua",
      ["authlete.cli.create"] = "lua/authlete/cli/create.lua",
      ["authlete.cli.delete"] = "lua/authlete/cli/delete.lua",
      ["authlete.cli.format"] = "lua/authlete/cli/format.lua",
      ["authlete.cli.import"] = "lua/authlete/cli/import.lua",
      ["authlete.cli.import_file"] = "lua/authlete/cli/import_file.lua",
      ["authlete.cli.list"] = "lua/authlete/cli/list.lua",
      ["authlete.cli.revoke"] = "lua/authlete/cli/revoke.lua",
      ["authlete.cli.update"] = "lua/authlete/cli/update.lua",
      ["authlete.client"] = "lua/authlete/client.lua",
      ["authlete.funcs"] = "lua/authlete/funcs/init.lua",
      ["authlete.funcs.tokenManagementList"] = "lua/authlete/funcs/tokenManagementList.lua",
      ["authlete.funcs.tokenManagementCreate"] = "lua/authlete/funcs/tokenManagementCreate.lua",
      ["authlete.funcs.tokenManagementUpdate"] = "lua/authlete/funcs/tokenManagementUpdate.lua",
      ["authlete.funcs.tokenManagementDelete"] = "lua/authlete/funcs/tokenManagementDelete.lua",
      ["authlete.funcs.tokenManagementRevoke"] = "lua/authlete/funcs/tokenManagementRevoke.lua",
      ["authlete.funcs.tokenManagementReissueIdToken"] = "lua/authlete/funcs/tokenManagementReissueIdToken.lua",
      ["authlete.errors"] = "lua/authlete/errors.lua",
      ["authlete.compat"] = "lua/authlete/compat.lua",
      ["authlete.json"] = "lua/authlete/json.lua",
      ["authlete.options"] = "lua/authlete/options.lua",
      ["authlete.retry"] = "lua/authlete/retry.lua",
      ["authlete.utc"] = "lua/authlete/utc.lua",
      ["authlete.pause"] = "lua/authlete/pause.lua",
      ["authlete.hash"] = "lua/authlete/hash.lua",
      ["authlete.header"] = "lua/authlete/header.lua",
      ["authlete.http1"] = "lua/authlete/http1.lua",
      ["authlete.ngx.apps.grants"] = "lua/authlete/ngx/apps/grants.lua",
      ["authlete.ngx.apps.languages"] = "lua/authlete/ngx/apps/languages.lua",
      ["authlete.ngx.apps.options"] = "lua/authlete/ngx/apps/options.lua",
      ["authlete.ngx.apps.view"] = "lua/authlete/ngx/apps/view.lua",
      ["authlete.ngx.connected_apps"] = "lua/authlete/ngx/connected_apps.lua",
      ["authlete.ngx.csrf"] = "lua/authlete/ngx/csrf.lua",
      ["authlete.ngx.introspection_cache"] = "lua/authlete/ngx/introspection_cache.lua",
      ["authlete.transport"] = "lua/authlete/transport/init.lua",
      ["authlete.transport.curl"] = "lua/authlete/transport/curl.lua",
      ["authlete.transport.ngx"] = "lua/authlete/transport/ngx.lua",
      ["authlete.transport.proxy"] = "lua/authlete/transport/proxy.lua",
      ["authlete.transport.multi"] = "lua/authlete/transport/multi.lua",
      ["authlete.mock"] = "lua/authlete/mock/init.lua",
      ["authlete.mock.cli"] = "lua/authlete/mock/cli.lua",
      ["authlete.mock.codes"] = "lua/authlete/mock/codes.lua",
      ["authlete.mock.controls"] = "lua/authlete/mock/controls.lua",
      ["authlete.mock.crypto"] = "lua/authlete/mock/crypto.lua",
      ["authlete.mock.http"] = "lua/authlete/mock/http.lua",
      ["authlete.mock.loop"] = "lua/authlete/mock/loop.lua",
      ["authlete.mock.operations"] = "lua/authlete/mock/operations.lua",
      ["authlete.mock.process"] = "lua/authlete/mock/process.lua",
      ["authlete.mock.seed"] = "lua/authlete/mock/seed.lua",
      ["authlete.mock.server"] = "lua/authlete/mock/server.lua",
      ["authlete.mock.socket"] = "lua/authlete/mock/socket.lua",
      ["authlete.mock.store"] = "lua/authlete/mock/store.lua",
      ["authlete.mock.validate"] = "lua/authlete/mock/validate.lua",
   },
   install = {
      bin = { ["authlete-mock"] = "bin/authlete-mock", ["authlete-tokens"] = "bin/authlete-tokens" },
   },
}
