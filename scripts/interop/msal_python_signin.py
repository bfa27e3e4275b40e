"""Signs in with MSAL Python 1.21 against the local IdP and prints the serialized cache.

stdin: {"authority", "host_port", "ca_file", "public_hosts"?, "validate_authority"?,
        "public": {"client_id", "username", "password", "scopes"},
        "confidential": {"client_id", "secret", "scopes"}}   (either part optional)
stdout: {"msal_version", "user": outcome, "app": outcome, "cache": "<serialized cache>"}

The user signs in with the username/password grant (after user realm discovery) on a
PublicClientApplication; the app gets a client-credentials token on a
ConfidentialClientApplication; both share one SerializableTokenCache.
"""
import msal

from msal_python_common import app_options, outcome, read_input, write_output

cfg = read_input()
options = app_options(cfg)
cache = msal.SerializableTokenCache()
out = {"msal_version": msal.__version__}

public = cfg.get("public")
if public:
    pca = msal.PublicClientApplication(
        public["client_id"], token_cache=cache, **options)
    out["user"] = outcome(pca.acquire_token_by_username_password(
        public["username"], public["password"], scopes=public["scopes"]))

confidential = cfg.get("confidential")
if confidential:
    cca = msal.ConfidentialClientApplication(
        confidential["client_id"], client_credential=confidential["secret"],
        token_cache=cache, **options)
    out["app"] = outcome(cca.acquire_token_for_client(scopes=confidential["scopes"]))

out["cache"] = cache.serialize()
write_output(out)
