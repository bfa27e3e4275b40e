"""Shared helpers of the MSAL Python interop scripts (run with Debian's /usr/bin/python3).

Input arrives as one JSON object on stdin (never in argv, so no secret shows in `ps`);
output is one JSON object on stdout. Tokens never appear in the output except inside the
serialized cache; results carry a SHA-256 prefix of the access token instead.
"""
import hashlib
import json
import sys
from urllib.parse import urlsplit, urlunsplit

import requests


class IdpSession(requests.Session):
    """A requests session that reaches the local IdP only, trusting its CA.

    - MSAL Python 1.21 builds the user realm URL from the authority's host *name*
      (`urlparse(...).hostname`), which drops a non-default port:
      `https://127.0.0.1/common/userrealm/...`. Entra listens on 443, so this never shows
      there; the local IdP listens on a random port, so the port is put back here.
    - A request for one of `public_hosts` (the IdP's `publicHost` and its aliases, on 443)
      is sent to the IdP's 127.0.0.1 port with its `Host` header kept, so the IdP answers
      as Entra does for that host.
    - Any other host is refused: nothing leaves 127.0.0.1.
    """

    def __init__(self, host_port, ca_file, public_hosts=()):
        super().__init__()
        self.verify = ca_file
        self._host_port = host_port
        self._hostname = host_port.rsplit(":", 1)[0]
        self._public_hosts = set(public_hosts)

    def request(self, method, url, *args, **kwargs):
        parts = urlsplit(url)
        if parts.hostname in self._public_hosts and parts.port in (None, 443):
            kwargs["headers"] = dict(kwargs.get("headers") or {}, Host=parts.hostname)
            url = urlunsplit(parts._replace(netloc=self._host_port))
        elif parts.hostname == self._hostname and parts.port is None:
            url = urlunsplit(parts._replace(netloc=self._host_port))
        elif parts.netloc != self._host_port:
            raise requests.ConnectionError(
                "The interop runs reach only the local IdP, not %s" % parts.netloc)
        # A REQUESTS_CA_BUNDLE in the environment would win over `self.verify`: name the CA here.
        kwargs["verify"] = self.verify
        return super().request(method, url, *args, **kwargs)


def app_options(cfg):
    """The keyword arguments every application of a script gets from its input:
    the authority, authority validation (off unless `validate_authority` says so; on for
    the Entra runs, as an app on Entra has it) and the IdP-only HTTP client."""
    return dict(
        authority=cfg["authority"],
        validate_authority=cfg.get("validate_authority", False),
        http_client=IdpSession(cfg["host_port"], cfg["ca_file"], cfg.get("public_hosts", ())),
    )


def read_input():
    return json.loads(sys.stdin.read())


def write_output(obj):
    sys.stdout.write(json.dumps(obj, sort_keys=True))
    sys.stdout.flush()


def token_hash(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:16]


def outcome(result, cached_secrets=()):
    """What a call returned, without the token itself."""
    if result is None:
        return {"ok": False, "none": True}
    if "error" in result:
        return {"ok": False, "error": result.get("error"), "error_codes": result.get("error_codes")}
    token = result.get("access_token", "")
    return {
        "ok": True,
        "access_token_hash": token_hash(token),
        "from_input_cache": token in set(cached_secrets),
        "has_id_token": "id_token" in result,
        "has_refresh_token": "refresh_token" in result,
        "scope": result.get("scope"),
    }
