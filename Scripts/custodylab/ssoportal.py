"""IAM Identity Center for the lab: the AWS access portal's ``GetRoleCredentials`` and OIDC ``CreateToken``.

A client that signs in with IAM Identity Center holds a bearer token that
``aws sso login`` cached; it exchanges it, unsigned, for role credentials
(``GET /federation/credentials?role_name=…&account_id=…`` with the token in
``x-amz-sso_bearer_token``) and refreshes it with a refresh token (``POST
/token``, JSON, ``grantType`` ``refresh_token``). The lab serves both on its
one endpoint, so ``endpoint_url`` or ``AWS_ENDPOINT_URL`` reach them.

The lab cannot run a browser sign-in: ``POST /lab-api/sso-login`` stands in
for ``aws sso login`` and returns what the CLI would cache
(``ssologin`` writes it, with the config, into a home folder). Sign-ins live
in memory, like everything else of a lab.

``GetRoleCredentials`` gives real lab credentials: a session of the IAM role
named ``role_name`` in ``account_id`` (or of ``AWSReservedSSO_<role_name>_…``,
the name IAM Identity Center gives a permission set's role), named after the
signed-in user, as moto's STS makes them for AssumeRole; calls with them are
recorded as that ``AssumedRole``. The exchange itself is not recorded.
Tokens, refresh tokens and client secrets never reach ``lab.log``.
Token times follow the real clock, as the clients that compare them do.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import secrets
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from moto.iam.models import iam_backends
from moto.sts.models import sts_backends

from . import labids, timefmt
from .credentials import STORE

if TYPE_CHECKING:
    from .app import LabApp, Response
    from .sigv4 import RawRequest

log = logging.getLogger("custodylab")

#: An access token from a sign-in lasts 8 hours, as IAM Identity Center's default session does.
SIGN_IN_SECONDS = 8 * 3600
#: An access token from a refresh lasts an hour.
REFRESH_SECONDS = 3600
#: A client registration lasts 90 days, as ``RegisterClient`` gives.
REGISTRATION_SECONDS = 90 * 86400
#: Role credentials last an hour (a permission set's default session).
ROLE_SECONDS = 3600
#: The start URL of the lab's "organisation instance".
DEFAULT_START_URL = "https://d-9067lab000.awsapps.com/start"
#: The signed-in user's name, which becomes the role session's name.
DEFAULT_USER = "lab-sso-user"


@dataclass
class AccessToken:
    """A bearer token the portal takes."""

    user_name: str
    start_url: str
    region: str
    expires: _dt.datetime


@dataclass
class Registration:
    """An OIDC client and, when it has one, its current refresh token."""

    client_id: str
    client_secret: str = field(repr=False)
    expires: _dt.datetime = field(default_factory=timefmt.real_utcnow)
    refresh_token: str | None = field(default=None, repr=False)
    user_name: str = DEFAULT_USER
    start_url: str = DEFAULT_START_URL
    region: str = "us-east-1"


class SignIns:
    """Thread-safe registry of the lab's IAM Identity Center sign-ins."""

    def __init__(self) -> None:  # noqa: D107
        self._lock = threading.Lock()
        self._tokens: dict[str, AccessToken] = {}
        self._clients: dict[str, Registration] = {}

    def sign_in(self, body: dict[str, Any]) -> dict[str, Any]:
        """Stand in for ``aws sso login``: the token cache document the AWS CLI would write.

        Body (all optional): ``startUrl``, ``region``, ``userName``, ``expiresIn`` (seconds the access
        token lasts; 0 or less makes one that has already expired), ``refreshable`` (default true:
        the ``sso_session`` form, with a client registration and a refresh token; false: the legacy
        form, the access token only).
        """
        start_url = str(body.get("startUrl") or DEFAULT_START_URL)
        region = str(body.get("region") or "us-east-1")
        user_name = str(body.get("userName") or DEFAULT_USER)
        try:
            expires_in = int(body.get("expiresIn", SIGN_IN_SECONDS))
        except (TypeError, ValueError):
            raise ValueError("expiresIn is a whole number of seconds") from None
        now = timefmt.real_utcnow()
        token = _token("aoa")
        document: dict[str, Any] = {
            "startUrl": start_url,
            "region": region,
            "accessToken": token,
            "expiresAt": timefmt.iso_z(now + _dt.timedelta(seconds=expires_in)),
        }
        with self._lock:
            self._tokens[token] = AccessToken(user_name, start_url, region, now + _dt.timedelta(seconds=expires_in))
            if body.get("refreshable", True):
                client = Registration(
                    client_id=_token("client", 16),
                    client_secret=_token("secret"),
                    expires=now + _dt.timedelta(seconds=REGISTRATION_SECONDS),
                    refresh_token=_token("aor"),
                    user_name=user_name,
                    start_url=start_url,
                    region=region,
                )
                self._clients[client.client_id] = client
                document.update(
                    {
                        "clientId": client.client_id,
                        "clientSecret": client.client_secret,
                        "registrationExpiresAt": timefmt.iso_z(client.expires),
                        "refreshToken": client.refresh_token,
                    }
                )
        log.info("sso sign-in for user=%s start_url=%s region=%s (lab-api)", user_name, start_url, region)
        return document

    def user_of(self, token: str | None) -> AccessToken | None:
        """The sign-in behind a current access token, or None."""
        with self._lock:
            found = self._tokens.get(token or "")
        if found is None or found.expires <= timefmt.real_utcnow():
            return None
        return found

    def refresh(self, body: dict[str, Any]) -> dict[str, Any]:
        """OIDC ``CreateToken`` with a refresh token: a new access token, and the refresh token rotated."""
        grant = body.get("grantType")
        if grant != "refresh_token":
            raise PortalError(400, "UnsupportedGrantTypeException", "unsupported_grant_type", f"The lab serves grantType refresh_token only, not {grant!r}.")
        now = timefmt.real_utcnow()
        with self._lock:
            client = self._clients.get(str(body.get("clientId") or ""))
            if client is None or not secrets.compare_digest(client.client_secret, str(body.get("clientSecret") or "")):
                raise PortalError(401, "InvalidClientException", "invalid_client", "Invalid client credentials.")
            if client.expires <= now:
                raise PortalError(401, "InvalidClientException", "invalid_client", "The client registration has expired.")
            given = str(body.get("refreshToken") or "")
            if client.refresh_token is None or not secrets.compare_digest(client.refresh_token, given):
                raise PortalError(400, "InvalidGrantException", "invalid_grant", "Invalid refresh token provided.")
            token = _token("aoa")
            client.refresh_token = _token("aor")
            self._tokens[token] = AccessToken(client.user_name, client.start_url, client.region, now + _dt.timedelta(seconds=REFRESH_SECONDS))
            answer = {"accessToken": token, "tokenType": "Bearer", "expiresIn": REFRESH_SECONDS, "refreshToken": client.refresh_token}
        log.info("200 sso-oidc.CreateToken user=%s grant=refresh_token", client.user_name)
        return answer


class PortalError(Exception):
    """An error the portal or OIDC answers: HTTP status, error type, OIDC ``error`` and a message."""

    def __init__(self, status: int, code: str, oauth_error: str | None, message: str) -> None:  # noqa: D107
        super().__init__(message)
        self.status = status
        self.code = code
        self.oauth_error = oauth_error
        self.message = message


#: The one registry of the running lab.
SIGN_INS = SignIns()


def _token(prefix: str, size: int = 48) -> str:
    return f"{prefix}{secrets.token_urlsafe(size)}"


def handles(request: "RawRequest") -> bool:
    """Whether ``request`` is an unsigned portal or OIDC call (signed calls go to the API layer)."""
    if request.header("authorization"):
        return False
    route = (request.method, request.raw_path.rstrip("/"))
    return route in (("GET", "/federation/credentials"), ("POST", "/token"))


def handle(app: "LabApp", request: "RawRequest") -> "Response":
    """Serve one portal or OIDC call."""
    from .app import Response

    request_id = labids.IDS.for_call("sso", request.method, request.raw_path).uuid("request")
    try:
        if request.raw_path.rstrip("/") == "/token":
            try:
                body = json.loads(request.body or b"{}")
            except ValueError:
                raise PortalError(400, "InvalidRequestException", "invalid_request", "The body is not JSON.") from None
            if not isinstance(body, dict):
                raise PortalError(400, "InvalidRequestException", "invalid_request", "The body must be a JSON object.")
            answer = SIGN_INS.refresh(body)
        else:
            answer = role_credentials(app, request)
    except PortalError as error:
        log.info("%s sso.%s %s", error.status, error.code, error.message)
        document: dict[str, Any] = {"message": error.message}
        if error.oauth_error:
            document = {"error": error.oauth_error, "error_description": error.message}
        headers = [("Content-Type", "application/json"), ("x-amzn-ErrorType", error.code), ("x-amzn-RequestId", request_id)]
        return Response(error.status, headers, json.dumps(document).encode())
    headers = [("Content-Type", "application/json"), ("x-amzn-RequestId", request_id)]
    return Response(200, headers, json.dumps(answer).encode())


def role_credentials(app: "LabApp", request: "RawRequest") -> dict[str, Any]:
    """``GetRoleCredentials``: a session of the role for the signed-in user."""
    query = parse_qs(request.raw_query)
    role_name = (query.get("role_name") or [""])[0]
    account_id = (query.get("account_id") or [""])[0]
    # x-amz-sso_bearer_token, which WSGI spells HTTP_X_AMZ_SSO_BEARER_TOKEN (see server.py).
    signed_in = SIGN_INS.user_of(request.header("x-amz-sso-bearer-token"))
    if signed_in is None:
        raise PortalError(401, "UnauthorizedException", None, "Session token not found or invalid")
    if not role_name or not account_id:
        raise PortalError(400, "InvalidRequestException", None, "role_name and account_id are required")
    now = timefmt.utcnow()
    ids = labids.IDS.for_call("sso-role-credentials", account_id, role_name, signed_in.user_name, timefmt.iso_z(now))
    with app.lock:
        labids.IDS.reseed_moto(ids)
        role = _role(account_id, role_name)
        if role is None:
            raise PortalError(403, "ForbiddenException", None, "No access")
        session = sts_backends[account_id]["aws"].assume_role(
            region_name=signed_in.region,
            role_session_name=signed_in.user_name,
            role_arn=role.arn,
            policy=None,
            duration=ROLE_SECONDS,
            external_id=None,
        )
    STORE.note_issued(session.access_key_id, now)
    expiration = session.expiration.replace(tzinfo=timefmt.UTC)
    log.info("200 sso.GetRoleCredentials account=%s role=%s user=%s key=%s", account_id, role.name, signed_in.user_name, session.access_key_id)
    return {
        "roleCredentials": {
            "accessKeyId": session.access_key_id,
            "secretAccessKey": session.secret_access_key,
            "sessionToken": session.session_token,
            "expiration": timefmt.epoch_millis(expiration),
        }
    }


def _role(account_id: str, role_name: str) -> Any:
    """The role ``role_name`` of the account, or the ``AWSReservedSSO_<role_name>_…`` role of that permission set."""
    if account_id not in iam_backends:
        return None
    roles = list(iam_backends[account_id]["aws"].roles.values())
    exact = [role for role in roles if role.name == role_name]
    reserved = [role for role in roles if role.name.startswith(f"AWSReservedSSO_{role_name}_")]
    return (exact or reserved or [None])[0]
