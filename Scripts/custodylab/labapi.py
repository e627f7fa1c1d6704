"""The lab-only routes under ``/lab-api/``: nothing AWS has, all unauthenticated.

- ``GET /lab-api/health``: ``{"status": "ok"}``.
- ``POST /lab-api/flush``: deliver the pending CloudTrail records that are
  visible (``--event-delay``) in log files now, then a digest file for every
  trail with log file validation.
- ``GET /lab-api/events?account=ID``: the recorded events (``{"Records": [...]}``),
  oldest first, without LookupEvents' throttling, for tests; every one, visible
  or not, unless ``visible=1`` asks for those LookupEvents shows now only.
- ``POST /lab-api/instance-credentials`` with ``{"accountId", "region",
  "instanceId"}``: the credentials EC2 would deliver to the instance through
  its metadata service (its instance profile's role, session named after
  the instance), recorded as EC2's own AssumeRole.
- ``GET /lab-api/clock``: the lab's time, whether it is logical, the
  scenario's step and the event delay (``--event-delay``); ``POST
  /lab-api/clock`` with ``{"advance": seconds}`` or ``{"set":
  "2026-11-02T10:00:00Z"}`` moves a logical clock (``--clock``) forward,
  never back.
- ``POST /lab-api/seed-trail``: hours of the Organization's activity written
  into the organization trail's bucket at once, log files and signed digests,
  for benchmarks (see ``trailseed``).
- ``POST /lab-api/sso-login``: stands in for ``aws sso login`` (see
  ``ssoportal``): the token cache document the AWS CLI would write.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from moto.ec2.models import ec2_backends
from moto.sts.models import sts_backends

from . import cloudtrail_api, labids, records, services, ssoportal, timefmt, trailseed
from .credentials import STORE
from .labclock import CLOCK
from .sigv4 import RawRequest

if TYPE_CHECKING:
    from .app import LabApp, Response
    from .eventstore import StoredEvent

#: Instance profile credentials last six hours, as EC2 delivers them.
INSTANCE_CREDENTIALS_DURATION = 21600


class LabApiError(Exception):
    """A lab API request that cannot be served; carries the HTTP status."""

    def __init__(self, status: int, message: str) -> None:  # noqa: D107
        super().__init__(message)
        self.status = status


def handle(app: "LabApp", request: RawRequest) -> "Response":
    """Serve one ``/lab-api/`` request."""
    from .app import Response, json_response

    route = (request.method, request.raw_path.rstrip("/"))
    try:
        if route == ("GET", "/lab-api/health"):
            return json_response(200, {"status": "ok"})
        if route == ("POST", "/lab-api/flush"):
            return json_response(200, app.flush())
        if route == ("GET", "/lab-api/events"):
            # Written from the stored texts: parsing millions of records to encode them again takes minutes.
            texts = ",".join(e.text for e in _events(app, parse_qs(request.raw_query)))
            return Response(200, [("Content-Type", "application/json")], f'{{"Records":[{texts}]}}'.encode())
        if route == ("POST", "/lab-api/instance-credentials"):
            return json_response(200, instance_credentials(app, _json(request)))
        if route == ("GET", "/lab-api/clock"):
            return json_response(200, clock_state(app))
        if route == ("POST", "/lab-api/clock"):
            return json_response(200, move_clock(app, _json(request)))
        if route == ("POST", "/lab-api/sso-login"):
            try:
                return json_response(200, ssoportal.SIGN_INS.sign_in(_json(request)))
            except ValueError as error:
                raise LabApiError(400, str(error)) from None
        if route == ("POST", "/lab-api/seed-events"):
            return json_response(200, seed_events(app, _json(request)))
        if route == ("POST", "/lab-api/seed-trail"):
            try:
                return json_response(200, trailseed.seed_trail(app, _json(request)))
            except trailseed.SeedError as error:
                raise LabApiError(error.status, str(error)) from None
        raise LabApiError(404, f"No lab API route {request.method} {request.raw_path}.")
    except LabApiError as error:
        return json_response(error.status, {"message": str(error)})


def _json(request: RawRequest) -> dict[str, Any]:
    try:
        value = json.loads(request.body or b"{}")
    except ValueError as error:
        raise LabApiError(400, f"The body is not JSON: {error}") from None
    if not isinstance(value, dict):
        raise LabApiError(400, "The body must be a JSON object.")
    return value


def _events(app: "LabApp", query: dict[str, list[str]]) -> list["StoredEvent"]:
    """The events of ``account`` (or all), oldest first; with ``visible=1`` only those LookupEvents shows now."""
    account = (query.get("account") or [None])[0]
    visible = (query.get("visible") or ["0"])[0].lower()
    if visible not in ("0", "1", "true", "false"):
        raise LabApiError(400, "visible is 1 (only the events LookupEvents shows now) or 0 (every event).")
    if visible in ("1", "true"):
        now, visible_before = cloudtrail_api.horizon()
        return app.store.events(account, now=now, visible_before=visible_before)
    return app.store.events(account)


def clock_state(app: "LabApp") -> dict[str, Any]:
    """``{"now", "epoch", "logical", "step", "eventDelay"}``: the lab's time, the scenario's step per call, the delay."""
    now = timefmt.utcnow()
    return {
        "now": timefmt.iso_z(now),
        "epoch": int(now.timestamp()),
        "logical": CLOCK.logical,
        "step": app.clock_step,
        "eventDelay": app.event_delay.seconds,
    }


def move_clock(app: "LabApp", body: dict[str, Any]) -> dict[str, Any]:
    """Advance a logical clock by ``advance`` whole seconds, or set it to ``set`` (not earlier than now)."""
    if not CLOCK.logical:
        raise LabApiError(409, "The lab runs on the real clock: start it with --clock TIME to move time.")
    if ("advance" in body) == ("set" in body):
        raise LabApiError(400, 'Give either {"advance": seconds} or {"set": "2026-11-02T10:00:00Z"}.')
    try:
        if "advance" in body:
            CLOCK.advance(body["advance"])
        else:
            CLOCK.set(timefmt.parse_iso(str(body["set"])))
    except ValueError as error:
        raise LabApiError(400, str(error)) from None
    return clock_state(app)


def seed_events(app: "LabApp", body: dict[str, Any]) -> dict[str, Any]:
    """Add ``count`` read-only management events to an account's history, for benchmarks.

    Body: ``{"account": "222222222222", "region": "us-east-1", "count": 5000, "minutes": 60}``.
    The records have the documented shape (an ``IAMUser`` identity of the account's
    administrator, ``DescribeInstances``), spread evenly over the last ``minutes`` minutes, with
    ``userAgent`` ``custody-lab-seed`` so nobody mistakes them for calls that were made.
    """
    account = str(body.get("account", ""))
    region = str(body.get("region", "us-east-1"))
    count = int(body.get("count", 0))
    minutes = float(body.get("minutes", 60))
    if not account.isdigit() or len(account) != 12 or not 0 < count <= 1_000_000 or minutes <= 0:
        raise LabApiError(400, "seed-events needs account (12 digits), count (1 to 1000000) and minutes (> 0).")
    now = timefmt.utcnow()
    ids = labids.IDS.for_call("seed-events", account, region, count, minutes, timefmt.iso_z(now))
    start = now - _dt.timedelta(minutes=minutes)
    step = (minutes * 60) / count
    for index in range(count):
        moment = start + _dt.timedelta(seconds=index * step)
        record = {
            "eventVersion": "1.09",
            "userIdentity": {
                "type": "IAMUser",
                "principalId": "AIDASEEDEDLABEVENTS01",
                "arn": f"arn:aws:iam::{account}:user/lab-admin",
                "accountId": account,
                "accessKeyId": "AKIASEEDEDLABEVENTS1",
                "userName": "lab-admin",
            },
            "eventTime": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "eventSource": "ec2.amazonaws.com",
            "eventName": "DescribeInstances",
            "awsRegion": region,
            "sourceIPAddress": "198.51.100.10",
            "userAgent": "custody-lab-seed",
            "requestParameters": {"instancesSet": {}, "filterSet": {}},
            "responseElements": None,
            "requestID": ids.uuid(f"request-{index}"),
            "eventID": ids.uuid(f"event-{index}"),
            "readOnly": True,
            "eventType": "AwsApiCall",
            "managementEvent": True,
            "recipientAccountId": account,
            "eventCategory": "Management",
        }
        app.store.add(record, "lab-admin")
    return {"account": account, "region": region, "seeded": count}


def instance_credentials(app: "LabApp", body: dict[str, Any]) -> dict[str, Any]:
    """Role credentials for an instance's profile, as its metadata service hands them out."""
    account, region, instance_id = body.get("accountId"), body.get("region"), body.get("instanceId")
    if not (account and region and instance_id):
        raise LabApiError(400, "Give accountId, region and instanceId.")
    now = timefmt.utcnow()
    ids = labids.IDS.for_call("instance-credentials", account, region, instance_id, timefmt.iso_z(now))
    with app.lock:
        labids.IDS.reseed_moto(ids)
        backend = ec2_backends[account][region]
        association = backend.iam_instance_profile_associations.get(instance_id)
        if association is None:
            raise LabApiError(404, f"Instance {instance_id} in {account}/{region} has no instance profile.")
        roles = association.iam_instance_profile.roles
        if not roles:
            raise LabApiError(404, f"The instance profile of {instance_id} has no role.")
        role = roles[0]
        if not _trusts_ec2(role.assume_role_policy_document):
            raise LabApiError(403, f"Role {role.arn} does not trust ec2.amazonaws.com: EC2 cannot deliver its credentials.")
        session = sts_backends[account]["aws"].assume_role(
            region_name=region,
            role_session_name=instance_id,
            role_arn=role.arn,
            policy=None,
            duration=INSTANCE_CREDENTIALS_DURATION,
            external_id=None,
        )
    STORE.note_issued(session.access_key_id, now, instance=True)
    expiration = session.expiration.replace(tzinfo=timefmt.UTC)
    _record_delivery(app, account, region, role.arn, instance_id, session, expiration, now, ids)
    return {
        "Code": "Success",
        "LastUpdated": timefmt.iso_z(now),
        "Type": "AWS-HMAC",
        "AccessKeyId": session.access_key_id,
        "SecretAccessKey": session.secret_access_key,
        "Token": session.session_token,
        "Expiration": timefmt.iso_z(expiration),
        "RoleArn": role.arn,
    }


def _trusts_ec2(document: str) -> bool:
    try:
        statements = json.loads(document).get("Statement", [])
    except ValueError:
        return False
    for statement in statements if isinstance(statements, list) else [statements]:
        principal = statement.get("Principal") if isinstance(statement, dict) else None
        services = principal.get("Service", []) if isinstance(principal, dict) else []
        services = services if isinstance(services, list) else [services]
        if statement.get("Effect") == "Allow" and "ec2.amazonaws.com" in services:
            return True
    return False


def _record_delivery(app, account, region, role_arn, instance_id, session, expiration: _dt.datetime, now, ids) -> None:
    sts = services.service_model("sts")
    call = services.ApiCall(
        service="sts",
        protocol="query",
        name="AssumeRole",
        model=sts,
        operation=sts.operation_model("AssumeRole"),
        params={"RoleArn": role_arn, "RoleSessionName": instance_id},
    )
    output = {
        "Credentials": {"AccessKeyId": session.access_key_id, "Expiration": expiration},
        "AssumedRoleUser": {"AssumedRoleId": session.user_id, "Arn": session.arn},
    }
    context = records.CallContext(
        event_time=now,
        region=region,
        source_ip="ec2.amazonaws.com",
        user_agent="ec2.amazonaws.com",
        host=f"sts.{region}.amazonaws.com",
        request_id=ids.uuid("request"),
        event_id=ids.uuid("event"),
    )
    record = records.build(
        call=call,
        identity=records.aws_service_identity("ec2.amazonaws.com"),
        context=context,
        response=services.ParsedResponse(status=200, output=output),
        recipient_account=account,
    )
    app.keep_service_event(record, account)
