"""Strict verification of AWS Signature Version 4 (Authorization header form).

moto checks a signature but not the request time, the credential scope's
date, region or service, and it miscomputes signatures of GET requests with
an empty body. The lab therefore verifies every request here first, with
botocore's ``SigV4Auth`` as the reference implementation: it recomputes the
signature over exactly the headers the caller says it signed.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
import re
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

from botocore.auth import UNSIGNED_PAYLOAD, S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials

from . import regions, timefmt
from .errors import LabError

#: AWS accepts a request time up to 15 minutes away from its own clock.
MAX_SKEW = _dt.timedelta(minutes=15)

_ALGORITHM = "AWS4-HMAC-SHA256"
_PAIR = re.compile(r"\s*([A-Za-z]+)=([^,]*)")


@dataclass(frozen=True)
class Authorization:
    """The parts of a SigV4 ``Authorization`` header."""

    access_key_id: str
    date: str
    region: str
    service: str
    terminator: str
    signed_headers: tuple[str, ...]
    signature: str = field(repr=False)


@dataclass
class RawRequest:
    """A request as it arrived: the raw, still percent-encoded path and query."""

    method: str
    host: str
    raw_path: str
    raw_query: str
    headers: list[tuple[str, str]]
    body: bytes = field(repr=False)

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (case-insensitive), or None."""
        lowered = name.lower()
        values = [v for k, v in self.headers if k.lower() == lowered]
        return ",".join(values) if values else None


def parse_authorization(value: str | None) -> Authorization:
    """Parse an ``Authorization`` header; :class:`LabError` when absent or malformed."""
    if not value:
        raise LabError("Request is missing Authentication Token", kind="missing")
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != _ALGORITHM:
        raise LabError(f"Unsupported authorization algorithm '{algorithm}': the lab accepts {_ALGORITHM} only.", kind="malformed")
    parts = {key: val.strip() for key, val in _PAIR.findall(rest)}
    missing = [name for name in ("Credential", "SignedHeaders", "Signature") if name not in parts]
    if missing:
        raise LabError(f"Authorization header requires '{missing[0]}' parameter. Authorization={value.split('Signature=')[0]}", kind="malformed")
    scope = parts["Credential"].split("/")
    if len(scope) != 5:
        raise LabError(
            f"Credential should have 5 slash-separated parts (key/date/region/service/aws4_request), got {len(scope)}.",
            kind="malformed",
        )
    return Authorization(
        access_key_id=scope[0],
        date=scope[1],
        region=scope[2],
        service=scope[3],
        terminator=scope[4],
        signed_headers=tuple(h.strip().lower() for h in parts["SignedHeaders"].split(";") if h.strip()),
        signature=parts["Signature"],
    )


def request_time(request: RawRequest) -> tuple[str, _dt.datetime]:
    """The request time from ``X-Amz-Date`` (or ``Date``), as text and datetime."""
    amz = request.header("x-amz-date")
    if amz:
        try:
            return amz, timefmt.parse_amz_date(amz)
        except ValueError:
            raise LabError(f"Invalid X-Amz-Date '{amz}': expected the form 20150830T123600Z.", kind="malformed") from None
    date = request.header("date")
    if date:
        try:
            moment = parsedate_to_datetime(date).astimezone(timefmt.UTC)
        except (TypeError, ValueError):
            raise LabError(f"Invalid Date header '{date}'.", kind="malformed") from None
        return timefmt.amz_date(moment), moment
    raise LabError("Authorization requires an X-Amz-Date or Date header.", kind="malformed")


def check_time(amz: str, moment: _dt.datetime, now: _dt.datetime) -> None:
    """Refuse a request time more than 15 minutes from ``now``, as AWS does."""
    if moment < now - MAX_SKEW:
        limit = timefmt.amz_date(now - MAX_SKEW)
        raise LabError(
            f"Signature expired: {amz} is now earlier than {limit} ({timefmt.amz_date(now)} - 15 min.)",
            kind="skewed",
        )
    if moment > now + MAX_SKEW:
        limit = timefmt.amz_date(now + MAX_SKEW)
        raise LabError(
            f"Signature not yet current: {amz} is still later than {limit} ({timefmt.amz_date(now)} + 15 min.)",
            kind="skewed",
        )


def check_scope(auth: Authorization, amz: str, expected_service: str | None) -> None:
    """Check the credential scope: date, region, service and terminator."""
    if auth.date != amz[:8]:
        raise LabError(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
            f"'{auth.date}' != '{amz[:8]}', from '{amz}'.",
            kind="bad-scope",
        )
    if auth.terminator != "aws4_request":
        raise LabError(f"Credential should be scoped with a valid terminator: 'aws4_request', not '{auth.terminator}'.", kind="bad-scope")
    if expected_service and auth.service != expected_service:
        raise LabError(f"Credential should be scoped to correct service: '{expected_service}'.", kind="bad-scope")
    pinned = regions.GLOBAL_SERVICE_REGION.get(auth.service)
    if pinned and auth.region != pinned:
        raise LabError(f"Credential should be scoped to a valid region, not '{auth.region}'.", kind="bad-scope")
    if not regions.is_known_region(auth.region):
        raise LabError(f"Credential should be scoped to a valid region, not '{auth.region}'.", kind="bad-scope")


class _ExactSigner:
    """Mixin: sign exactly the headers named in ``SignedHeaders``."""

    signed: tuple[str, ...] = ()

    def headers_to_sign(self, request: AWSRequest) -> HTTPHeaders:  # noqa: D401 - botocore override
        chosen = HTTPHeaders()
        for name in self.signed:
            for value in request.headers.get_all(name) or []:
                chosen[name] = value
        return chosen


class _Signer(_ExactSigner, SigV4Auth):
    pass


class _S3Signer(_ExactSigner, S3SigV4Auth):
    pass


def expected_signature(auth: Authorization, secret: str, request: RawRequest, amz: str) -> str:
    """The signature AWS would compute for ``request`` with ``secret``."""
    cls = _S3Signer if auth.service == "s3" else _Signer
    signer = cls(Credentials(auth.access_key_id, secret), auth.service, auth.region)
    signer.signed = auth.signed_headers
    url = f"http://{request.host}{request.raw_path}"
    if request.raw_query:
        url += f"?{request.raw_query}"
    headers = HTTPHeaders()
    for name, value in request.headers:
        headers[name.lower()] = value
    aws_request = AWSRequest(method=request.method, url=url, headers=headers, data=request.body)
    aws_request.context["timestamp"] = amz
    canonical = signer.canonical_request(aws_request)
    string_to_sign = signer.string_to_sign(aws_request, canonical)
    return signer.signature(string_to_sign, aws_request)


def verify(auth: Authorization, secret: str, request: RawRequest, amz: str) -> None:
    """Refuse ``request`` unless it is signed by ``secret`` exactly as AWS requires."""
    if "host" not in auth.signed_headers:
        raise LabError("'Host' must be a signed header.", kind="malformed")
    for name in auth.signed_headers:
        if request.header(name) is None:
            raise LabError(f"Header '{name}' is named in SignedHeaders but missing from the request.", kind="malformed")
    content_sha = request.header("x-amz-content-sha256")
    if content_sha and content_sha != UNSIGNED_PAYLOAD and not content_sha.startswith("STREAMING-"):
        if content_sha != hashlib.sha256(request.body).hexdigest():
            raise LabError("The provided 'x-amz-content-sha256' header does not match what was computed.", kind="payload-hash")
    wanted = expected_signature(auth, secret, request, amz)
    if not hmac.compare_digest(wanted, auth.signature):
        raise LabError(
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
            kind="bad-signature",
        )
