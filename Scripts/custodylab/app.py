"""The lab's WSGI layer in front of moto's server application.

For every request it: parses and strictly verifies the SigV4 signature
(``sigv4``); resolves the caller (``principals``); refuses disabled keys,
expired sessions and calls that session credentials may not make; answers
CloudTrail ``LookupEvents`` and ``ListPublicKeys``, CloudTrail Lake
(``lake``) and Athena's queries (``athena``) itself; hands everything
else to moto; and turns the call, whatever its outcome, into a CloudTrail
record (``records``) kept in the event history and queued for the trails
that are logging (``delivery``). ``/lab-api/`` routes are the lab's own
(``labapi``); unsigned IAM Identity Center portal and OIDC calls are
``ssoportal``'s; moto's ``/moto-api/`` is closed, since it could reset the
lab or switch authentication off.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import quote

from moto import settings as moto_settings
from moto.core.exceptions import ServiceException, _RESTError as RESTError
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.s3.models import s3_backends
from werkzeug.datastructures import EnvironHeaders
from werkzeug.http import HTTP_STATUS_CODES

from . import (
    athena, cloudtrail_api, errors, labapi, labids, lake, mothooks, principals, records, services, sigv4, ssoportal, timefmt,
)
from .accounts import ADMIN_USER
from .credentials import STORE
from .delivery import Delivery, TrailInfo, logging_trails, organization_of
from .errors import LabError
from .eventdelay import EventDelay
from .eventstore import EventStore
from .labclock import CLOCK
from .principals import Principal
from .services import ApiCall, ParsedResponse
from .signing import DigestSigner
from .throttle import RateLimiter

log = logging.getLogger("custodylab")

#: Lab-only request headers: the caller's apparent source IP and VPC endpoint.
SOURCE_IP_HEADER = "x-lab-source-ip"
VPC_ENDPOINT_HEADER = "x-lab-vpc-endpoint-id"

#: S3 calls that AWS answers whatever region the request was signed for.
_S3_ANY_REGION = {"ListBuckets", "GetBucketLocation", "CreateBucket", "HeadBucket"}
#: Athena's query operations, which the lab answers itself (over the delivered log files).
_ATHENA_QUERIES = {
    "StartQueryExecution",
    "GetQueryExecution",
    "GetQueryResults",
    "StopQueryExecution",
    "BatchGetQueryExecution",
    "ListQueryExecutions",
}
#: Calls after which a trail may no longer be logging, though it logs the call itself.
_TRAIL_STOPPERS = {"StopLogging", "DeleteTrail", "UpdateTrail"}


@dataclass
class Response:
    """A finished response."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


def raw_request(environ: dict[str, Any]) -> sigv4.RawRequest:
    """The request as it arrived, with its body read and put back for moto."""
    uri = environ.get("REQUEST_URI") or environ.get("RAW_URI")
    if uri:
        path, _, query = uri.partition("?")
        if "://" in path:  # absolute-form request target
            path = "/" + path.split("://", 1)[1].partition("/")[2]
    else:
        path, query = quote(environ.get("PATH_INFO", "/")), environ.get("QUERY_STRING", "")
    headers = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers.append((key[5:].replace("_", "-").lower(), value))
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
            headers.append((key.replace("_", "-").lower(), value))
    stream = environ["wsgi.input"]
    length = environ.get("CONTENT_LENGTH")
    if length:
        body = stream.read(int(length))
    elif environ.get("wsgi.input_terminated"):
        body = stream.read()
    else:
        body = b""
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return sigv4.RawRequest(
        method=environ["REQUEST_METHOD"].upper(),
        host=environ.get("HTTP_HOST", ""),
        raw_path=path or "/",
        raw_query=query,
        headers=headers,
        body=body,
    )


def _guess_protocol(request: sigv4.RawRequest) -> str:
    if request.header("x-amz-target"):
        return "json"
    form = services.form_params(request)
    if "Action" in form:
        return "ec2" if form.get("Version") == "2016-11-15" else "query"
    return "rest-xml"


class LabApp:
    """The WSGI application of the lab."""

    def __init__(  # noqa: D107
        self, state_dir: Path, management_account: str, lookup_rate: float = 2.0, clock_step: int = 0, event_delay: float = 0
    ) -> None:
        mothooks.install()
        #: Seconds the scenario runner moves a logical clock after each step (``--clock-step``).
        self.clock_step = clock_step
        self.management_account = management_account
        moto_settings.INITIAL_NO_AUTH_ACTION_COUNT = 0  # moto authorises every request from now on
        self.moto = DomainDispatcherApplication(create_backend_app)
        #: Where ids come from: random, or derived from the seed (``--seed``).
        self.ids = labids.IDS
        #: How late each record becomes visible to LookupEvents and delivery (``--event-delay``).
        self.event_delay = EventDelay(event_delay, seed=self.ids.seed)
        self.store = EventStore(state_dir / "events.jsonl", ordered_by_event_id=self.ids.seeded, delay=self.event_delay)
        self.signer = DigestSigner(seed=self.ids.seed)
        self.delivery = Delivery(self.signer)
        self.throttle = RateLimiter(lookup_rate)
        #: moto's backends are not thread-safe: one call at a time reaches them.
        self.lock = threading.RLock()
        #: Athena's catalog and query executions over the log files in S3.
        self.athena = athena.Athena(self.lock)
        #: CloudTrail Lake's event data stores and queries over the history.
        self.lake = lake.Lake(self._visible_records, organization_of)

    # WSGI -------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:  # noqa: D102
        request = raw_request(environ)
        try:
            if request.raw_path.startswith("/lab-api/"):
                response = labapi.handle(self, request)
            elif ssoportal.handles(request):
                response = ssoportal.handle(self, request)
            elif request.raw_path.startswith("/moto-api"):
                response = json_response(403, {"message": "The lab closes moto's /moto-api/: it could reset the lab or switch authentication off."})
            else:
                response = self.handle_api(environ, request)
        except Exception:  # a lab bug: answer like AWS's 500, keep the traceback in lab.log
            log.exception("internal error on %s %s", request.method, request.raw_path)
            response = json_response(500, {"__type": "InternalFailure", "message": "The lab failed on this request: see lab.log."})
        reason = HTTP_STATUS_CODES.get(response.status, "Unknown")
        headers = list(response.headers)
        if request.method != "HEAD":  # a HEAD answer keeps the length of what GET would send
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            headers.append(("Content-Length", str(len(response.body))))
        start_response(f"{response.status} {reason}", headers)
        return [response.body]

    # AWS API calls ----------------------------------------------------------

    def handle_api(self, environ: dict[str, Any], request: sigv4.RawRequest) -> Response:
        """Authenticate, answer (or let moto answer) and record one AWS API call.

        One call at a time: moto's backends, which authentication reads, are
        not thread-safe.
        """
        with self.lock:
            return self._handle_api(environ, request)

    def _handle_api(self, environ: dict[str, Any], request: sigv4.RawRequest) -> Response:
        now = timefmt.utcnow()
        ids = self._call_ids(request, now)
        request_id = ids.uuid("request")
        if CLOCK.logical:
            mothooks.apply_last_used()
        try:
            auth = sigv4.parse_authorization(request.header("authorization"))
        except LabError as error:
            return self._error(error, _guess_protocol(request), request_id)
        call = services.identify(request, auth.service)
        context = records.CallContext(
            event_time=now,
            region=auth.region,
            source_ip=request.header(SOURCE_IP_HEADER) or environ.get("REMOTE_ADDR", "127.0.0.1"),
            user_agent=request.header("user-agent") or "",
            # The port differs from run to run (--port 0): with --seed the record leaves it out.
            host=request.host.rpartition(":")[0] if self.ids.seeded and ":" in request.host else request.host,
            request_id=request_id,
            vpc_endpoint_id=request.header(VPC_ENDPOINT_HEADER),
            event_id=ids.uuid("event"),
            ids=ids,
        )
        principal: Principal | None = None
        try:
            amz, moment = sigv4.request_time(request)
            sigv4.check_scope(auth, amz, services.expected_service(request, auth.service))
            principal = principals.resolve(auth.access_key_id)
            if principal is None:
                message = (
                    "The AWS Access Key Id you provided does not exist in our records."
                    if call.protocol == "rest-xml"
                    else "The security token included in the request is invalid."
                )
                raise LabError(message, kind="unknown-key")
            self._check_token(principal, request)
            sigv4.check_time(amz, moment, timefmt.real_utcnow())  # the client signs with its real clock
            sigv4.verify(auth, principal.secret, request, amz)
            self._check_usable(principal, now)
            self._check_s3_region(call, auth)
            self._check_session_limits(principal, call)
        except LabError as error:
            if error.recordable and principal is not None:
                self._record_failure(call, principal, context, error, request)
            return self._error(error, call.protocol, request_id)

        target = request.header("x-moto-account-id")
        if target:
            return self._setup_call(environ, call, principal, target, context)
        account = principal.account_id
        context.vpc_endpoint_account_id = self._endpoint_owner(context.vpc_endpoint_id) if context.vpc_endpoint_id else None
        if call.service == "cloudtrail" and (call.name in ("LookupEvents", "ListPublicKeys") or self.lake.handles(call.name)):
            return self._answer_cloudtrail(environ, call, principal, account, context, request)
        if call.service == "athena" and call.name in _ATHENA_QUERIES:
            return self._answer_cloudtrail(environ, call, principal, account, context, request)
        trails_before = logging_trails(account) if call.name in _TRAIL_STOPPERS else []
        response = self._call_moto(environ, context.request_id)
        parsed = services.parse_response(call, response.status, dict(response.headers), response.body)
        parsed.request_id = parsed.request_id or context.request_id
        if not call.is_data_event:
            self._record_call(call, principal, account, context, parsed, request, trails_before)
        self._log(call, principal, account, context, parsed.status, parsed.error_code)
        return response

    def _setup_call(self, environ, call: ApiCall, principal: Principal, target: str, context) -> Response:
        """moto's ``x-moto-account-id``: the management administrator acting in any account, unrecorded.

        It is a setup shortcut (many resources in many accounts without
        assuming a role in each), not activity: AWS has no such thing, so
        CloudTrail has nothing to say about it.
        """
        if not (principal.type == "IAMUser" and not principal.is_session and principal.account_id == self.management_account and principal.user_name == ADMIN_USER):
            error = LabError(
                f"x-moto-account-id is honoured only for {ADMIN_USER} of the management account {self.management_account}.",
                code="AccessDenied",
                status=403,
            )
            return self._error(error, call.protocol, context.request_id)
        with mothooks.setup_mode():
            response = self._call_moto(environ, context.request_id)
        log.info("%s %s.%s setup in account=%s by key=%s (not recorded)", response.status, call.service, call.name, target, principal.access_key_id)
        return response

    def _check_token(self, principal: Principal, request: sigv4.RawRequest) -> None:
        given = request.header("x-amz-security-token")
        if principal.is_session and given != principal.token:
            raise LabError("The security token included in the request is invalid.", kind="bad-token")
        if not principal.is_session and given:
            raise LabError("The security token included in the request is invalid.", kind="bad-token")

    @staticmethod
    def _check_usable(principal: Principal, now) -> None:
        if not principal.active:
            # The key is known, so the attempt is logged in its account (why one disables rather than deletes).
            raise LabError("The security token included in the request is invalid.", kind="unknown-key", recordable=True)
        if principal.expiration is not None and principal.expiration < now:
            raise LabError("The security token included in the request is expired", kind="expired-token", recordable=True)

    @staticmethod
    def _check_s3_region(call: ApiCall, auth: sigv4.Authorization) -> None:
        bucket_name = call.params.get("Bucket") if call.service == "s3" else None
        if not bucket_name or call.name in _S3_ANY_REGION:
            return
        owner = s3_backends.bucket_accounts.get(bucket_name)
        if owner is None:
            return
        bucket = s3_backends[owner[1]][owner[0]].buckets.get(bucket_name)
        if bucket is not None and bucket.region_name != auth.region:
            raise LabError(
                f"The authorization header is malformed; the region '{auth.region}' is wrong; expecting '{bucket.region_name}'",
                kind="bad-scope",
                extra={"Region": bucket.region_name},
            )

    @staticmethod
    def _check_session_limits(principal: Principal, call: ApiCall) -> None:
        """What GetSessionToken and GetFederationToken credentials may not do."""
        temporary = principal.temporary
        if temporary is None:
            return
        if call.service == "iam":
            # IAM refuses these credentials unless MFA was used to get them.
            raise LabError("The security token included in the request is invalid.", code="InvalidClientTokenId", status=403, recordable=True)
        if call.service == "sts":
            allowed = {"GetCallerIdentity"} | ({"AssumeRole"} if temporary.kind == "session-token" else set())
            if call.name not in allowed:
                raise LabError(f"Cannot call {call.name} with session credentials", code="AccessDenied", status=403, recordable=True)

    def _call_ids(self, request: sigv4.RawRequest, now) -> labids.CallIds:
        """The ids of this call; with ``--seed`` derived from what the call is, and moto reseeded for it.

        The name leaves out what differs from run to run (signature, request time, connection,
        port), so that the same call in a repeated run gets the same ids.
        """
        name = None
        if self.ids.seeded:
            auth = request.header("authorization") or ""
            credential = auth.partition("Credential=")[2].split(",")[0].split("/")
            name = (
                "api",
                timefmt.iso_z(now),
                credential[0],
                credential[2:4],
                request.header(SOURCE_IP_HEADER),
                request.header(VPC_ENDPOINT_HEADER),
                request.header("x-moto-account-id"),
                request.method,
                request.raw_path,
                sorted(request.raw_query.split("&")),
                hashlib.sha256(request.body or b"").hexdigest(),
            )
        ids = self.ids.for_call(*(name or ()))
        self.ids.reseed_moto(ids)
        return ids

    def _call_moto(self, environ: dict[str, Any], request_id: str | None = None) -> Response:
        """Let moto answer; with ``--seed`` it answers with the lab's request id."""
        with mothooks.request_id(request_id if self.ids.seeded else None):
            return self._call_moto_directly(environ)

    def _call_moto_directly(self, environ: dict[str, Any]) -> Response:
        captured: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            captured["status"] = int(status.split(" ", 1)[0])
            captured["headers"] = headers

        chunks = self.moto(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close:
                close()
        return Response(captured.get("status", 500), list(captured.get("headers", [])), body)

    def _answer_cloudtrail(self, environ, call: ApiCall, principal: Principal, account: str, context, request) -> Response:
        try:
            self._authorize(environ, request, call, account)
            if call.name == "LookupEvents":
                if not self.throttle.allow((account, context.region)):
                    # Throttled calls are not recorded: a tight retry loop would flood the history.
                    return self._error(LabError("Rate exceeded", code="ThrottlingException", status=400), "json", context.request_id)
                # The history has its own lock and needs none of moto's: other calls go on meanwhile,
                # so many account-regions can each read at AWS's rate.
                self.lock.release()
                try:
                    answer = cloudtrail_api.lookup_events(self.store, account, context.region, call.params)
                finally:
                    self.lock.acquire()
            elif call.name == "ListPublicKeys":
                answer = cloudtrail_api.list_public_keys(self.signer, call.params)
            elif call.service == "athena":
                answer = self.athena.handle(call.name, account, context.region, call.params, context.ids.uuid("athena-query"))
            else:
                answer = self.lake.handle(call.name, account, context.region, call.params, context.ids.uuid("lake"))
        except LabError as error:
            self._record_failure(call, principal, context, error, request, account=account)
            return self._error(error, "json", context.request_id)
        parsed = ParsedResponse(status=200, output={}, request_id=context.request_id)
        self._record_call(call, principal, account, context, parsed, request, [])
        self._log(call, principal, account, context, 200, None)
        headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", context.request_id)]
        return Response(200, headers, json.dumps(answer).encode())

    def _visible_records(self) -> list[dict[str, Any]]:
        """Every record LookupEvents could show now, in any account and region, oldest first."""
        now, visible_before = cloudtrail_api.horizon()
        return [event.record for event in self.store.events(None, now, visible_before)]

    def _authorize(self, environ, request: sigv4.RawRequest, call: ApiCall, account: str) -> None:
        """Ask moto's IAM policy evaluation whether the caller may make ``call``."""
        from moto.iam.access_control import IAMRequest

        try:
            IAMRequest(
                account_id=account,
                method=request.method,
                path=request.raw_path,
                data={},
                body=request.body,
                headers=EnvironHeaders(environ),
                action=call.name,
            ).check_action_permitted("*")
        except (RESTError, ServiceException) as error:
            code = getattr(error, "error_type", None) or getattr(error, "code", "AccessDenied")
            message = getattr(error, "message", str(error))
            raise LabError(message, code=str(code), status=400, recordable=True) from None

    # Records ----------------------------------------------------------------

    def _record_call(self, call, principal, account, context, parsed, request, trails_before) -> None:
        shared = None
        cross_account = self._assume_role_target(call, parsed, principal)
        ids = context.ids or self.ids.for_call()
        if cross_account:
            shared = ids.uuid("shared")
        record = records.build(
            call=call,
            identity=principal.user_identity(),
            context=context,
            response=parsed,
            recipient_account=account,
            body=request.body,
            shared_event_id=shared,
        )
        self._keep(record, principal.lookup_username, account, trails_before)
        if cross_account:
            copy = records.build(
                call=call,
                identity=records.aws_account_identity(principal),
                context=records.CallContext(**{**context.__dict__, "event_id": ids.uuid("event-copy")}),
                response=parsed,
                recipient_account=cross_account,
                body=request.body,
                shared_event_id=shared,
            )
            self._keep(copy, None, cross_account, [])

    def _assume_role_target(self, call: ApiCall, parsed: ParsedResponse, principal: Principal) -> str | None:
        """For a successful AssumeRole: note the session start; return the role's account if foreign."""
        if call.service != "sts" or call.name != "AssumeRole" or parsed.error_code or not parsed.output:
            return None
        new_key = (parsed.output.get("Credentials") or {}).get("AccessKeyId")
        if new_key:
            STORE.note_issued(new_key, timefmt.utcnow())
        role_account = str(call.params.get("RoleArn", "")).split(":")[4:5]
        if role_account and role_account[0] != principal.account_id:
            return role_account[0]
        return None

    def _record_failure(self, call, principal, context, error: LabError, request, account: str | None = None) -> None:
        code, status = error.resolved(call.protocol)
        parsed = ParsedResponse(status=status, error_code=code, error_message=error.message, request_id=context.request_id)
        account = account or principal.account_id
        with self.lock:
            record = records.build(
                call=call,
                identity=principal.user_identity(),
                context=context,
                response=parsed,
                recipient_account=account,
                body=request.body,
            )
            self._keep(record, principal.lookup_username, account, [])
        self._log(call, principal, account, context, status, code)

    def _keep(self, record: dict[str, Any], username: str | None, account: str, trails_before: list[TrailInfo]) -> None:
        event = self.store.add(record, username)
        trails = {t.arn: t for t in trails_before + logging_trails(account)}
        self.delivery.record(record, list(trails.values()), event.visible_at)

    def keep_service_event(self, record: dict[str, Any], account: str) -> None:
        """Store a record that an AWS service produced (not a caller's request)."""
        with self.lock:
            self._keep(record, record["userIdentity"].get("invokedBy"), account, [])

    @staticmethod
    def _endpoint_owner(endpoint_id: str) -> str | None:
        from moto.ec2.models import ec2_backends

        for account_id, per_region in list(ec2_backends.items()):
            for backend in list(dict.values(per_region)):
                if endpoint_id in getattr(backend, "vpc_end_points", {}):
                    return account_id
        return None

    # Delivery ---------------------------------------------------------------

    def flush(self, everything: bool = False) -> dict[str, int]:
        """Deliver the pending log files (of visible records; of all with ``everything``), then the digests due."""
        with self.lock:
            self.ids.reseed_moto(self.ids.for_call("flush", timefmt.iso_z(timefmt.utcnow())))
            logs = self.delivery.deliver_logs(everything)
            live = list({t.arn: t for account in self._accounts() for t in logging_trails(account)}.values())
            digests = self.delivery.deliver_digests(live)
        return {"logFiles": logs, "digestFiles": digests}

    def flush_logs(self) -> int:
        """Deliver the pending log files of visible records only."""
        with self.lock:
            self.ids.reseed_moto(self.ids.for_call("flush-logs", timefmt.iso_z(timefmt.utcnow())))
            return self.delivery.deliver_logs()

    @staticmethod
    def _accounts() -> list[str]:
        from moto.cloudtrail.models import cloudtrail_backends

        return list(cloudtrail_backends.keys())

    # Output -----------------------------------------------------------------

    @staticmethod
    def _error(error: LabError, protocol: str, request_id: str) -> Response:
        status, headers, body = errors.render(error, protocol, request_id)
        log.info("refused %s: %s", error.resolved(protocol)[0], error.message)
        return Response(status, headers, body)

    @staticmethod
    def _log(call: ApiCall, principal: Principal, account: str, context, status: int, error: str | None) -> None:
        extra = f" vpce={context.vpc_endpoint_id}" if context.vpc_endpoint_id else ""
        outcome = f" error={error}" if error else ""
        log.info(
            "%s %s.%s account=%s region=%s key=%s ip=%s%s%s",
            status,
            call.service,
            call.name,
            account,
            context.region,
            principal.access_key_id,
            context.source_ip,
            extra,
            outcome,
        )


def json_response(status: int, document: dict[str, Any]) -> Response:
    """A JSON response of the lab's own."""
    return Response(status, [("Content-Type", "application/json")], json.dumps(document).encode())
