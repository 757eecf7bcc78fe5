--- Result codes and messages the mock answers with.
--
-- Authlete's grammar: "A" + 3-digit API number + 3 digits, where the third
-- digit from the right is the category (0 success, 1 Authlete-side error,
-- 2 caller/service error, 3 client error). Authlete publishes only a few of
-- these codes; every code marked INVENTED follows the grammar but is ours.
-- API numbers: 109 create, 135 update, 312 revoke (documented); 132 list,
-- 133 delete and 331 idtoken/reissue are INVENTED (Authlete documents none).
--
-- Each error names the `action` a create/update response would carry; the
-- HTTP status follows from that action (see codes.status_of).
local codes = {
   -- documented
   AUTH_MISSING       = { code = "A001202", text = "no Authorization header was supplied." },
   CREATE_OK          = { code = "A109001" },
   UPDATE_OK          = { code = "A135001", text = "The access token was updated." },
   REVOKE_OK          = { code = "A312001" },
   -- INVENTED, generic
   AUTH_INVALID       = { code = "A001203", status = 401, text = "the access token in the Authorization header is invalid." },
   SERVICE_FORBIDDEN  = { code = "A001216", status = 403, text = "the credential does not grant access to the service (ID = %s)." },
   -- INVENTED, and an ASSUMED status: Authlete documents no rate limit; the
   -- mock's (off unless asked for) answers 429 with Retry-After.
   RATE_LIMITED       = { code = "A001229", status = 429, text = "too many requests for the service (ID = %s); retry after %d s." },
   -- INVENTED, create
   CREATE_BAD_BODY    = { code = "A109201", action = "BAD_REQUEST", text = "%s" },
   CREATE_NO_CLIENT   = { code = "A109202", action = "BAD_REQUEST", text = "The client (ID = %s) does not exist." },
   CREATE_NEED_CLIENT = { code = "A109203", action = "BAD_REQUEST", text = "Either clientId or clientIdentifier must be given." },
   CREATE_GRANT_TYPE  = { code = "A109204", action = "BAD_REQUEST", text = "%s" },
   CREATE_SCOPE       = { code = "A109205", action = "BAD_REQUEST", text = "The scope '%s' is not supported by the service." },
   CREATE_SUBJECT     = { code = "A109206", action = "BAD_REQUEST", text = "%s" },
   CREATE_DUP_ACCESS  = { code = "A109207", action = "BAD_REQUEST", text = "An access token with the same value already exists." },
   CREATE_DUP_REFRESH = { code = "A109208", action = "BAD_REQUEST", text = "A refresh token with the same value already exists." },
   -- INVENTED, update
   UPDATE_BAD_BODY    = { code = "A135201", action = "BAD_REQUEST", text = "%s" },
   UPDATE_NEED_TOKEN  = { code = "A135202", action = "BAD_REQUEST",
                          text = "One of accessToken, accessTokenHash, refreshToken or refreshTokenHash must be given." },
   UPDATE_NOT_FOUND   = { code = "A135205", action = "NOT_FOUND", text = "The access token does not exist." },
   -- INVENTED, revoke
   REVOKE_BAD_BODY    = { code = "A312201", status = 400, text = "%s" },
   REVOKE_NO_CRITERIA = { code = "A312202", status = 400,
                          text = "One of accessTokenIdentifier, refreshTokenIdentifier, clientIdentifier or subject must be given." },
   REVOKE_NO_CLIENT   = { code = "A312203", status = 400, text = "The client (%s) does not exist." },
   -- INVENTED, list
   LIST_BAD_PARAM     = { code = "A132201", status = 400, text = "%s" },
   LIST_WINDOW        = { code = "A132202", status = 400, text = "The range between 'start' and 'end' must not exceed 20." },
   LIST_NO_CLIENT     = { code = "A132203", status = 400, text = "The client (%s) does not exist." },
   -- INVENTED, reissueIdToken (API 331; a Core API: errors come as HTTP 200 + action)
   REISSUE_OK         = { code = "A331001", text = "ID token reissued." },
   REISSUE_BAD_BODY   = { code = "A331201", status = 200, action = "CALLER_ERROR", text = "%s" },
   REISSUE_NO_TOKEN   = { code = "A331202", status = 200, action = "CALLER_ERROR",
                          text = "The access token and refresh token do not belong to one token." },
   REISSUE_NOT_OPENID = { code = "A331203", status = 200, action = "CALLER_ERROR",
                          text = "The token was not issued with the openid scope." },
   -- INVENTED, delete
   DELETE_NOT_FOUND   = { code = "A133205", status = 404, text = "The access token does not exist." },
}

local ACTION_STATUS = {
   BAD_REQUEST = 400, FORBIDDEN = 403, NOT_FOUND = 404, INTERNAL_SERVER_ERROR = 500,
}

--- The HTTP status a code is answered with in "status" error style.
function codes.status_of(entry)
   return entry.status or ACTION_STATUS[entry.action] or 401
end

--- "[A109202] /auth/token/create, The client (ID = 1) does not exist."
function codes.message(entry, api_path, ...)
   local text = entry.text and string.format(entry.text, ...) or ""
   return string.format("[%s] %s, %s", entry.code, api_path, text)
end

return codes
