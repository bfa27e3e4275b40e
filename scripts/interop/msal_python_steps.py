"""Runs a list of steps with MSAL Python 1.21 on one SerializableTokenCache and prints the cache.

stdin: {"authority", "host_port", "ca_file", "public_hosts"?, "validate_authority"?, "cache"?,
        "steps": [step, ...]}
A step: {"op": "password" | "silent" | "obo", "client_id", "authority"?, "secret"?,
         "username"?, "password"?, "scopes", "assertion"?, "force_refresh"?}
- password: PublicClientApplication.acquire_token_by_username_password;
- silent: get_accounts(username) then acquire_token_silent(scopes, account) on a
  PublicClientApplication (at the step's authority, e.g. a guest tenant), with
  force_refresh when the step says;
- obo: ConfidentialClientApplication.acquire_token_on_behalf_of(assertion, scopes).
stdout: {"msal_version", "results": [outcome + "accounts"], "cache": "<serialized cache afterwards>"}
`from_input_cache` says whether the access token returned was one of the cache given.
"""
import json

import msal

from msal_python_common import app_options, outcome, read_input, write_output

cfg = read_input()
cached = [e.get("secret") for e in json.loads(cfg.get("cache") or "{}").get("AccessToken", {}).values()]
cache = msal.SerializableTokenCache()
cache.deserialize(cfg.get("cache") or None)
out = {"msal_version": msal.__version__, "results": []}

for step in cfg["steps"]:
    options = app_options(dict(cfg, authority=step.get("authority", cfg["authority"])))
    op = step["op"]
    if op == "obo":
        app = msal.ConfidentialClientApplication(
            step["client_id"], client_credential=step["secret"], token_cache=cache, **options)
        result = outcome(app.acquire_token_on_behalf_of(step["assertion"], step["scopes"]), cached)
    else:
        app = msal.PublicClientApplication(step["client_id"], token_cache=cache, **options)
        if op == "password":
            result = outcome(app.acquire_token_by_username_password(
                step["username"], step["password"], scopes=step["scopes"]), cached)
        else:
            accounts = app.get_accounts(username=step["username"])
            result = outcome(
                app.acquire_token_silent(
                    step["scopes"], account=accounts[0], force_refresh=step.get("force_refresh", False))
                if accounts else None, cached)
            result["accounts"] = [
                {k: a.get(k) for k in ("home_account_id", "environment", "realm", "username")} for a in accounts]
    out["results"].append(result)

out["cache"] = cache.serialize()
write_output(out)
