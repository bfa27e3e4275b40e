"""Loads a cache into MSAL Python 1.21 and asks for tokens silently.

stdin: {"authority", "host_port", "ca_file", "public_hosts"?, "validate_authority"?, "cache": "<serialized cache>",
        "public": {"client_id", "username", "scopes"},
        "confidential": {"client_id", "secret", "scopes"}}   (either part optional)
stdout: {"accounts": [...], "user": outcome, "app_silent": outcome, "app_for_client": outcome,
         "cache": "<serialized cache afterwards>"}

- user: get_accounts(username) then acquire_token_silent(scopes, account);
- app_silent: acquire_token_silent(scopes, account=None) on the confidential app, the way
  MSAL Python 1.21 reads an app token from its cache;
- app_for_client: acquire_token_for_client(scopes), which in 1.21 never reads the cache
  (it always asks the token endpoint; later versions look in the cache first).
`from_input_cache` says whether the access token returned was one of the cache given.
"""
import json

import msal

from msal_python_common import app_options, outcome, read_input, write_output

cfg = read_input()
options = app_options(cfg)
cached = [e.get("secret") for e in json.loads(cfg["cache"] or "{}").get("AccessToken", {}).values()]
cache = msal.SerializableTokenCache()
cache.deserialize(cfg["cache"])
out = {"msal_version": msal.__version__}

public = cfg.get("public")
if public:
    pca = msal.PublicClientApplication(
        public["client_id"], token_cache=cache, **options)
    accounts = pca.get_accounts(username=public["username"])
    out["accounts"] = [
        {k: a.get(k) for k in ("home_account_id", "environment", "realm", "local_account_id", "username", "authority_type")}
        for a in accounts]
    out["user"] = outcome(
        pca.acquire_token_silent(public["scopes"], account=accounts[0]) if accounts else None, cached)

confidential = cfg.get("confidential")
if confidential:
    cca = msal.ConfidentialClientApplication(
        confidential["client_id"], client_credential=confidential["secret"],
        token_cache=cache, **options)
    out["app_silent"] = outcome(cca.acquire_token_silent(confidential["scopes"], account=None), cached)
    if confidential.get("for_client", True):
        out["app_for_client"] = outcome(cca.acquire_token_for_client(scopes=confidential["scopes"]), cached)

out["cache"] = cache.serialize()
write_output(out)
