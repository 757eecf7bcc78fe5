--- The connected-apps page's settings. nginx.conf requires this file when
--- nginx starts (a wrong setting stops it there) and in every request;
--- require keeps one page per process, and each worker makes its own
--- Authlete client on first use.
return require("authlete.ngx.connected_apps").new({
   -- Who is signed in: auth_basic sets $remote_user. Behind a sign-in proxy
   -- that passes the user in a header, use { header = "X-Authenticated-User" }
   -- and make sure that proxy replaces any such header a client sends.
   subject = { var = "remote_user" },
   -- Signs the forms' CSRF tokens; the same in every worker (nginx.conf).
   csrf_secret = os.getenv("CONNECTED_APPS_SECRET"),
   names_dict = "connected_apps_names",
   -- AUTHLETE_BEARER, AUTHLETE_SERVICE_ID and AUTHLETE_BASE_URL come from the
   -- environment; these keep the page responsive when Authlete is slow.
   client_options = {
      timeout_ms = 5000,
      shared_dict = "authlete_pauses",
      retry_config = { strategy = "backoff", retry_connection_errors = true,
                       backoff = { initial_interval = 100, max_elapsed_time = 2000 } },
   },
})
