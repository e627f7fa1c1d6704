"""An ``aws sso login`` against the lab, for tests: the token cache and the config, in a home folder.

The lab's ``POST /lab-api/sso-login`` stands in for the browser sign-in and
answers what the AWS CLI caches. This writes it where the CLI does,
``<home>/.aws/sso/cache/<SHA-1 hex>.json`` (of the session name, or of the
start URL for the legacy form; mode 0600), and adds to
``<home>/.aws/config`` a profile that uses it, pointed at the lab with
``endpoint_url``::

    [profile responder]
    sso_session = lab
    sso_account_id = 222222222222
    sso_role_name = OrganizationAccountAccessRole
    region = us-east-1
    endpoint_url = http://127.0.0.1:PORT

    [sso-session lab]
    sso_start_url = https://d-9067lab000.awsapps.com/start
    sso_region = us-east-1
    sso_registration_scopes = sso:account:access

With ``legacy=True`` the profile holds ``sso_start_url`` and ``sso_region``
itself and the cached token has no refresh token. From the command line
(``PYTHONPATH=Scripts``)::

    python3 -m custodylab.ssologin --endpoint http://127.0.0.1:PORT --home /tmp/home \\
        --profile responder --account 222222222222 --role OrganizationAccountAccessRole

prints ``{"config": …, "cache": …}`` (paths; never a token). Only the
standard library: it runs without the lab's dependencies.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

DEFAULT_START_URL = "https://d-9067lab000.awsapps.com/start"


def cache_key(start_url: str, session_name: str | None) -> str:
    """The cache file's name without ``.json``, as botocore's ``SSOTokenLoader`` makes it."""
    return hashlib.sha1((session_name if session_name is not None else start_url).encode("utf-8")).hexdigest()


def sign_in(endpoint: str, *, start_url: str, region: str, user_name: str | None, expires_in: int | None, refreshable: bool) -> dict[str, Any]:
    """The lab's stand-in for the browser sign-in: the document the AWS CLI caches."""
    body: dict[str, Any] = {"startUrl": start_url, "region": region, "refreshable": refreshable}
    if user_name:
        body["userName"] = user_name
    if expires_in is not None:
        body["expiresIn"] = expires_in
    request = urllib.request.Request(
        endpoint.rstrip("/") + "/lab-api/sso-login",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (the lab, on 127.0.0.1)
        return json.load(response)


def write_cache(path: Path, document: dict[str, Any]) -> None:
    """Write ``document`` as the CLI does: a temporary file in the same folder (0600), then renamed over."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(descriptor, "w") as handle:
        handle.write(json.dumps(document))
    os.replace(temporary, path)


def login(
    endpoint: str,
    home: Path,
    *,
    profile: str,
    account_id: str,
    role_name: str,
    session_name: str | None = "lab",
    legacy: bool = False,
    start_url: str = DEFAULT_START_URL,
    region: str = "us-east-1",
    user_name: str | None = None,
    expires_in: int | None = None,
) -> dict[str, str]:
    """Sign in at the lab and write the cache and the config into ``home``; returns their paths."""
    session = None if legacy else session_name
    document = sign_in(endpoint, start_url=start_url, region=region, user_name=user_name, expires_in=expires_in, refreshable=not legacy)
    cache = home / ".aws" / "sso" / "cache" / f"{cache_key(start_url, session)}.json"
    write_cache(cache, document)
    lines = [f"[profile {profile}]"]
    if session is None:
        lines += [f"sso_start_url = {start_url}", f"sso_region = {region}"]
    else:
        lines += [f"sso_session = {session}"]
    lines += [f"sso_account_id = {account_id}", f"sso_role_name = {role_name}", f"region = {region}", f"endpoint_url = {endpoint}", ""]
    config = home / ".aws" / "config"
    existing = config.read_text() if config.exists() else ""
    if session is not None and f"[sso-session {session}]" not in existing:
        lines += [f"[sso-session {session}]", f"sso_start_url = {start_url}", f"sso_region = {region}", "sso_registration_scopes = sso:account:access", ""]
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(existing + ("\n" if existing and not existing.endswith("\n") else "") + "\n".join(lines))
    return {"config": str(config), "cache": str(cache)}


def main(argv: list[str] | None = None) -> int:
    """The command line: sign in, write the files, print their paths."""
    parser = argparse.ArgumentParser(prog="python3 -m custodylab.ssologin", description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", required=True, help="the lab, http://127.0.0.1:PORT")
    parser.add_argument("--home", required=True, type=Path, help="the home folder to write .aws/ into")
    parser.add_argument("--profile", required=True)
    parser.add_argument("--account", required=True, help="sso_account_id")
    parser.add_argument("--role", required=True, help="sso_role_name")
    parser.add_argument("--session", default="lab", help="the sso-session name (default lab)")
    parser.add_argument("--legacy", action="store_true", help="sso_start_url in the profile, no refresh token")
    parser.add_argument("--start-url", default=DEFAULT_START_URL)
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--user", default=None, help="the signed-in user (the role session's name)")
    parser.add_argument("--expires-in", type=int, default=None, help="seconds the access token lasts; 0 or less: expired")
    args = parser.parse_args(argv)
    paths = login(
        args.endpoint,
        args.home,
        profile=args.profile,
        account_id=args.account,
        role_name=args.role,
        session_name=args.session,
        legacy=args.legacy,
        start_url=args.start_url,
        region=args.region,
        user_name=args.user,
        expires_in=args.expires_in,
    )
    print(json.dumps(paths))
    return 0


if __name__ == "__main__":
    sys.exit(main())
