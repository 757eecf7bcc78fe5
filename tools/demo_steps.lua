-- The examples `make demo` runs against the mock, in order, with their
-- arguments. spec/examples/examples_spec.lua runs the same steps.
return {
   { "examples/create_token.lua", "john" },
   { "examples/create_token.lua", "john", "31415926535897", "orders.read" },
   { "examples/list_tokens.lua", "john" },
   { "examples/update_scopes.lua", "john", "history.read" },
   { "examples/revoke_user_tokens.lua", "john" },
   { "examples/list_tokens.lua", "john", "INVALID" },
   { "examples/migrate_tokens.lua", "examples/tokens.csv" },
   { "examples/migrate_tokens.lua", "examples/tokens.csv" },
   { "examples/list_tokens.lua", "alice" },
   -- The same, from a shell, with the authlete-tokens command.
   { "bin/authlete-tokens", "list", "--subject", "alice" },
   { "bin/authlete-tokens", "revoke", "--subject", "alice", "--dry-run" },
   { "bin/authlete-tokens", "revoke", "--subject", "alice", "--yes" },
}
