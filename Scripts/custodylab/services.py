"""Which AWS service and operation a request is, and what it asked and got.

botocore's service models are the reference: the operation comes from the
Query ``Action``, the JSON ``X-Amz-Target`` or the REST method and path;
the parameters are decoded back from the wire with the operation's input
shape; the response is parsed with botocore's own parsers.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote

import botocore.session
from botocore.exceptions import UnknownServiceError
from botocore.model import OperationModel, ServiceModel, Shape
from botocore.parsers import create_parser

from .sigv4 import RawRequest

#: The services the lab knows well enough to check that a request's scope
#: names the right one. Other services pass through to moto unchecked.
KNOWN_SERVICES = ("iam", "sts", "ec2", "s3", "cloudtrail", "organizations", "guardduty", "athena")

#: Operations that read, though their names do not say so.
_READ_ONLY_EXTRA = {"AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "DecodeAuthorizationMessage"}
#: Operations that write, though their names start like reads.
_WRITE_EXTRA = {"GetSessionToken", "GetFederationToken", "GenerateCredentialReport"}
_READ_PREFIXES = ("Get", "List", "Describe", "Lookup", "Head", "BatchGet", "Search", "Scan", "Query", "Select")

#: S3 operations on buckets' contents: CloudTrail data events, which trails
#: and LookupEvents leave out unless data events are selected.
_S3_DATA_EVENTS = {"ListObjects", "ListObjectsV2", "ListObjectVersions", "ListMultipartUploads"}


@dataclass
class ApiCall:
    """One API call: service, operation and decoded input parameters."""

    service: str
    protocol: str
    name: str
    model: ServiceModel | None = None
    operation: OperationModel | None = None
    params: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def event_source(self) -> str:
        """The CloudTrail ``eventSource``, e.g. ``iam.amazonaws.com``."""
        return f"{self.service}.amazonaws.com"

    @property
    def read_only(self) -> bool:
        """CloudTrail's ``readOnly``: whether the call only reads."""
        if self.name in _READ_ONLY_EXTRA:
            return True
        if self.name in _WRITE_EXTRA:
            return False
        return self.name.startswith(_READ_PREFIXES)

    @property
    def is_data_event(self) -> bool:
        """True for S3 object-level calls, which are data events, not management events."""
        if self.service != "s3" or self.operation is None:
            return False
        if self.name in _S3_DATA_EVENTS:
            return True
        members = self.operation.input_shape.members if self.operation.input_shape else {}
        return "Key" in members


@functools.lru_cache(maxsize=1)
def _session() -> botocore.session.Session:
    return botocore.session.get_session()


@functools.lru_cache(maxsize=64)
def service_model(name: str) -> ServiceModel | None:
    """botocore's model of service ``name`` (a signing name), or None."""
    try:
        return _session().get_service_model(name)
    except UnknownServiceError:
        return None


@functools.lru_cache(maxsize=1)
def _routing() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    """Target prefixes, Query API versions and GuardDuty path roots of the known services."""
    targets: dict[str, str] = {}
    versions: dict[str, str] = {}
    for name in KNOWN_SERVICES:
        model = service_model(name)
        if model is None:
            continue
        if model.protocol == "json":
            targets[model.metadata["targetPrefix"]] = name
        elif model.protocol in ("query", "ec2"):
            versions[model.api_version] = name
    guardduty = service_model("guardduty")
    roots = frozenset(
        guardduty.operation_model(op).http["requestUri"].strip("/").split("/")[0].split("?")[0]
        for op in (guardduty.operation_names if guardduty else [])
    )
    return targets, versions, roots


def form_params(request: RawRequest) -> dict[str, str]:
    """Query-protocol parameters: the form body, or the query string of a GET."""
    content_type = (request.header("content-type") or "").lower()
    if request.body and content_type.startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
    return dict(parse_qsl(request.raw_query, keep_blank_values=True))


def expected_service(request: RawRequest, scoped: str) -> str | None:
    """The service the request's shape says it is for, when the lab can tell."""
    targets, versions, roots = _routing()
    form = form_params(request)
    if "Action" in form:
        return versions.get(form.get("Version", ""))
    target = request.header("x-amz-target")
    if target:
        return targets.get(target.split(".")[0])
    if scoped in ("s3", "guardduty"):
        first = request.raw_path.strip("/").split("/")[0]
        return "guardduty" if first in roots else "s3"
    return None


def identify(request: RawRequest, service: str) -> ApiCall:
    """Work out which operation ``request`` calls on ``service``, with its parameters."""
    model = service_model(service)
    if model is None:
        form = form_params(request)
        target = request.header("x-amz-target") or ""
        name = form.get("Action") or target.split(".")[-1] or f"{request.method} {request.raw_path}"
        return ApiCall(service=service, protocol="query", name=name)
    protocol = model.protocol
    if protocol in ("query", "ec2"):
        form = form_params(request)
        name = form.get("Action", "")
        operation = _operation(model, name)
        params = _decode_query(form, operation, protocol) if operation else {}
    elif protocol == "json":
        name = (request.header("x-amz-target") or "").split(".")[-1]
        operation = _operation(model, name)
        params = _json_body(request.body)
    else:
        operation, groups = _match_rest(model, service, request)
        name = operation.name if operation else f"{request.method} {request.raw_path}"
        params = _decode_rest(request, operation, groups, protocol) if operation else {}
    return ApiCall(service=service, protocol=protocol, name=name, model=model, operation=operation, params=params)


def _operation(model: ServiceModel, name: str) -> OperationModel | None:
    try:
        return model.operation_model(name)
    except Exception:  # botocore raises OperationNotFoundError
        return None


def _json_body(body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    try:
        value = json.loads(body)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# Query and EC2 protocols ---------------------------------------------------


def _decode_query(form: dict[str, str], operation: OperationModel, protocol: str) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for key, value in form.items():
        if key in ("Action", "Version"):
            continue
        node = tree
        parts = key.split(".")
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                break
            node = child
        else:
            node[parts[-1]] = value
    shape = operation.input_shape
    decoded = _from_tree(tree, shape, protocol) if shape is not None else {}
    return decoded if isinstance(decoded, dict) else {}


def _query_key(name: str, shape: Shape, protocol: str) -> str:
    serialization = shape.serialization
    if protocol == "ec2":
        if "queryName" in serialization:
            return serialization["queryName"]
        if "name" in serialization:
            return serialization["name"][0].upper() + serialization["name"][1:]
        return name
    return serialization.get("name", name)


def _numbered(node: dict[str, Any]) -> list[Any]:
    return [node[key] for key in sorted((k for k in node if k.isdigit()), key=int)]


def _from_tree(node: Any, shape: Shape, protocol: str) -> Any:
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(node, dict):
            return None
        out = {}
        for name, member in shape.members.items():
            key = _query_key(name, member, protocol)
            if key in node:
                out[name] = _from_tree(node[key], member, protocol)
        return out
    if kind == "list":
        if not isinstance(node, dict):
            return []
        if protocol != "ec2" and not shape.serialization.get("flattened"):
            node = node.get(shape.member.serialization.get("name", "member"), {})
            if not isinstance(node, dict):
                return []
        return [_from_tree(item, shape.member, protocol) for item in _numbered(node)]
    if kind == "map":
        if not isinstance(node, dict):
            return {}
        entries = node if shape.serialization.get("flattened") else node.get("entry", {})
        key_name = shape.key.serialization.get("name", "key")
        value_name = shape.value.serialization.get("name", "value")
        out = {}
        for entry in _numbered(entries) if isinstance(entries, dict) else []:
            if isinstance(entry, dict) and key_name in entry:
                out[entry[key_name]] = _from_tree(entry.get(value_name), shape.value, protocol)
        return out
    return _scalar(node, shape)


def _scalar(value: Any, shape: Shape) -> Any:
    if not isinstance(value, str):
        return value
    kind = shape.type_name
    try:
        if kind in ("integer", "long"):
            return int(value)
        if kind in ("float", "double"):
            return float(value)
    except ValueError:
        return value
    if kind == "boolean":
        return value.lower() == "true"
    return value


# REST protocols -------------------------------------------------------------


@dataclass(frozen=True)
class _Route:
    operation: str
    method: str
    pattern: re.Pattern[str]
    query: tuple[tuple[str, str | None], ...]
    literal: int


@functools.lru_cache(maxsize=16)
def _routes(service: str) -> tuple[_Route, ...]:
    model = service_model(service)
    routes = []
    for name in model.operation_names if model else []:
        http = model.operation_model(name).http
        path, _, query = http["requestUri"].partition("?")
        regex = ""
        literal = 0
        for piece in re.split(r"(\{[^}]+\})", path):
            if piece.startswith("{"):
                label = piece[1:-1]
                greedy = label.endswith("+")
                label = label.rstrip("+")
                regex += f"(?P<{label}>.+)" if greedy else f"(?P<{label}>[^/]+)"
            else:
                regex += re.escape(piece)
                literal += len(piece)
        wanted = []
        for item in filter(None, query.split("&")):
            key, sep, value = item.partition("=")
            wanted.append((key, value if sep else None))
        routes.append(_Route(name, http["method"], re.compile(f"^{regex.rstrip('/')}/?$" if regex != "/" else "^/$"), tuple(wanted), literal))
    return tuple(routes)


def _match_rest(model: ServiceModel, service: str, request: RawRequest) -> tuple[OperationModel | None, dict[str, str]]:
    query = dict(parse_qsl(request.raw_query, keep_blank_values=True))
    candidates = []
    for route in _routes(service):
        if route.method != request.method:
            continue
        found = route.pattern.match(request.raw_path)
        if not found:
            continue
        if any(key not in query or (value is not None and query[key] != value) for key, value in route.query):
            continue
        candidates.append(((len(route.query), route.literal), route, found.groupdict()))
    if not candidates:
        return None, {}
    best = max(score for score, _, _ in candidates)
    tied = [(route, groups) for score, route, groups in candidates if score == best]
    route, groups = _prefer_by_headers(model, request, tied)
    return model.operation_model(route.operation), {k: unquote(v) for k, v in groups.items()}


def _prefer_by_headers(model: ServiceModel, request: RawRequest, tied: list[tuple[_Route, dict[str, str]]]) -> tuple[_Route, dict[str, str]]:
    """Break a tie (PutObject and CopyObject share a path) by required headers present."""
    if len(tied) == 1:
        return tied[0]

    def required_headers(route: _Route) -> list[str]:
        shape = model.operation_model(route.operation).input_shape
        if shape is None:
            return []
        return [
            shape.members[name].serialization.get("name", name)
            for name in shape.required_members
            if shape.members[name].serialization.get("location") == "header"
        ]

    for route, groups in tied:
        needed = required_headers(route)
        if needed and all(request.header(h) is not None for h in needed):
            return route, groups
    for route, groups in tied:
        if not required_headers(route):
            return route, groups
    return tied[0]


def _decode_rest(request: RawRequest, operation: OperationModel, groups: dict[str, str], protocol: str) -> dict[str, Any]:
    shape = operation.input_shape
    if shape is None:
        return {}
    query = dict(parse_qsl(request.raw_query, keep_blank_values=True))
    body = _json_body(request.body) if protocol == "rest-json" else {}
    out: dict[str, Any] = {}
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        wire = member.serialization.get("name", name)
        if location == "uri" and wire in groups:
            out[name] = groups[wire]
        elif location == "querystring" and wire in query:
            out[name] = _scalar(query[wire], member)
        elif location == "header" and request.header(wire) is not None:
            out[name] = _scalar(request.header(wire), member)
        elif location is None:
            key = member.serialization.get("name", name)
            if key in body:
                out[name] = body[key]
    return out


# Responses ------------------------------------------------------------------


@dataclass
class ParsedResponse:
    """What a response said: its output, or its error code and message."""

    status: int
    output: dict[str, Any] | None = field(default=None, repr=False)
    error_code: str | None = None
    error_message: str | None = None
    request_id: str | None = None


def parse_response(call: ApiCall, status: int, headers: dict[str, str], body: bytes) -> ParsedResponse:
    """Parse a response the way botocore would, for the record."""
    lowered = {k.lower(): v for k, v in headers.items()}
    if call.operation is None or call.model is None:
        return ParsedResponse(status=status, error_code=None if status < 300 else f"HTTP{status}")
    parser = create_parser(call.protocol)
    shape = call.operation.output_shape
    try:
        parsed = parser.parse({"status_code": status, "headers": lowered, "body": body}, shape)
    except Exception:  # a body botocore cannot read is still worth recording
        parsed = {}
    metadata = parsed.pop("ResponseMetadata", {}) or {}
    request_id = metadata.get("RequestId") or lowered.get("x-amzn-requestid") or lowered.get("x-amz-request-id")
    if request_id == "request-id":  # moto's EC2 placeholder: the lab's own id is better than none
        request_id = None
    if status >= 300:
        error = parsed.get("Error", {}) or {}
        return ParsedResponse(
            status=status,
            error_code=error.get("Code") or f"HTTP{status}",
            error_message=error.get("Message") or None,
            request_id=request_id,
        )
    parsed.pop("Body", None)
    return ParsedResponse(status=status, output=parsed, request_id=request_id)
