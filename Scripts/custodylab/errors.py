"""AWS error responses, in the wire protocol of the service that was called."""

from __future__ import annotations

import json
from dataclasses import dataclass
from xml.sax.saxutils import escape

#: The auth failures the lab itself detects, and the code and HTTP status AWS
#: uses for each in each protocol family.
_AUTH_CODES: dict[str, dict[str, tuple[str, int]]] = {
    "missing": {
        "query": ("MissingAuthenticationToken", 403),
        "ec2": ("AuthFailure", 401),
        "json": ("MissingAuthenticationTokenException", 400),
        "rest-json": ("MissingAuthenticationTokenException", 403),
        "rest-xml": ("AccessDenied", 403),
    },
    "malformed": {
        "query": ("IncompleteSignature", 400),
        "ec2": ("AuthFailure", 401),
        "json": ("IncompleteSignatureException", 400),
        "rest-json": ("IncompleteSignatureException", 403),
        "rest-xml": ("AuthorizationHeaderMalformed", 400),
    },
    "unknown-key": {
        "query": ("InvalidClientTokenId", 403),
        "ec2": ("AuthFailure", 401),
        "json": ("UnrecognizedClientException", 400),
        "rest-json": ("UnrecognizedClientException", 403),
        "rest-xml": ("InvalidAccessKeyId", 403),
    },
    "bad-token": {
        "query": ("InvalidClientTokenId", 403),
        "ec2": ("AuthFailure", 401),
        "json": ("UnrecognizedClientException", 400),
        "rest-json": ("UnrecognizedClientException", 403),
        "rest-xml": ("InvalidToken", 400),
    },
    "expired-token": {
        "query": ("ExpiredToken", 403),
        "ec2": ("AuthFailure", 401),
        "json": ("ExpiredTokenException", 400),
        "rest-json": ("ExpiredTokenException", 403),
        "rest-xml": ("ExpiredToken", 400),
    },
    "bad-signature": {
        "query": ("SignatureDoesNotMatch", 403),
        "ec2": ("AuthFailure", 401),
        "json": ("InvalidSignatureException", 400),
        "rest-json": ("InvalidSignatureException", 403),
        "rest-xml": ("SignatureDoesNotMatch", 403),
    },
    "skewed": {
        "query": ("SignatureDoesNotMatch", 403),
        "ec2": ("RequestExpired", 400),
        "json": ("InvalidSignatureException", 400),
        "rest-json": ("InvalidSignatureException", 403),
        "rest-xml": ("RequestTimeTooSkewed", 403),
    },
    "bad-scope": {
        "query": ("SignatureDoesNotMatch", 403),
        "ec2": ("AuthFailure", 401),
        "json": ("InvalidSignatureException", 400),
        "rest-json": ("InvalidSignatureException", 403),
        "rest-xml": ("AuthorizationHeaderMalformed", 400),
    },
    "payload-hash": {
        "query": ("SignatureDoesNotMatch", 403),
        "ec2": ("AuthFailure", 401),
        "json": ("InvalidSignatureException", 400),
        "rest-json": ("InvalidSignatureException", 403),
        "rest-xml": ("XAmzContentSHA256Mismatch", 400),
    },
}


@dataclass
class LabError(Exception):
    """An error the lab answers itself, before or instead of moto.

    ``kind`` names an auth failure from the table above (its code and status
    then depend on the protocol), or is empty when ``code`` and ``status``
    are given directly. ``extra`` adds elements to an XML error (S3's
    ``<Region>``). ``recordable`` says whether CloudTrail would still log
    the call: true once the caller's account is known.
    """

    message: str
    kind: str = ""
    code: str = ""
    status: int = 400
    extra: dict[str, str] | None = None
    recordable: bool = False

    def __str__(self) -> str:
        return f"{self.code or self.kind}: {self.message}"

    def resolved(self, protocol: str) -> tuple[str, int]:
        """The error code and HTTP status to answer with in ``protocol``."""
        if self.kind:
            table = _AUTH_CODES[self.kind]
            return table.get(protocol, table["query"])
        return self.code, self.status


def render(error: LabError, protocol: str, request_id: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """The status, headers and body of ``error`` in the wire ``protocol``."""
    code, status = error.resolved(protocol)
    headers = [("x-amzn-RequestId", request_id)]
    if protocol in ("json", "rest-json"):
        body = json.dumps({"__type": code, "message": error.message}).encode()
        headers += [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-ErrorType", code)]
        return status, headers, body
    extra = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in (error.extra or {}).items())
    if protocol == "rest-xml":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{escape(code)}</Code><Message>{escape(error.message)}</Message>"
            f"{extra}<RequestId>{request_id}</RequestId></Error>"
        )
    elif protocol == "ec2":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Response><Errors><Error><Code>{escape(code)}</Code>"
            f"<Message>{escape(error.message)}</Message></Error></Errors>"
            f"<RequestID>{request_id}</RequestID></Response>"
        )
    else:
        body = (
            '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">'
            f"<Error><Type>Sender</Type><Code>{escape(code)}</Code>"
            f"<Message>{escape(error.message)}</Message>{extra}</Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        )
    headers.append(("Content-Type", "text/xml"))
    return status, headers, body.encode()
