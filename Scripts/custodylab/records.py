"""CloudTrail records, in the shape AWS documents (eventVersion 1.09).

``build`` turns one API call (what was asked, by whom, from where, and
what came back) into a record. Names follow CloudTrail's conventions:
lowerCamelCase member names, EC2's ``locationName`` style with
``{"items": [...]}`` lists, IAM's and STS's date formats. Secrets never
enter a record: secret keys, session tokens, passwords and private keys are
dropped, user data is replaced as CloudTrail replaces it.
"""

from __future__ import annotations

import base64
import datetime as _dt
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from botocore.model import Shape

from . import timefmt
from .principals import Principal
from .services import ApiCall, ParsedResponse

EVENT_VERSION = "1.09"

#: Keys that never appear in a record, request or response (compared lowercased).
_DROPPED = {
    "password",
    "newpassword",
    "oldpassword",
    "secretaccesskey",
    "sessiontoken",
    "privatekey",
    "keymaterial",
    "secretstring",
    "secretbinary",
    "samlassertion",
    "webidentitytoken",
    "base32stringseed",  # a virtual MFA device's seed and QR code: AWS records the serial number only
    "qrcodepng",
    "authenticationcode1",  # EnableMFADevice's codes: AWS records the user and serial number only
    "authenticationcode2",
    "zipfile",  # a Lambda function's code: AWS records where it came from, never the bytes
}
#: Keys whose value CloudTrail replaces with a marker.
_HIDDEN = {"userdata": "<sensitiveDataRemoved>"}
#: Read-only calls whose response CloudTrail still records.
_RESPONSE_KEPT_WHEN_READ_ONLY = {"AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity"}


@dataclass
class CallContext:
    """Where a call came from and what the lab knows about it, for the record."""

    event_time: _dt.datetime
    region: str
    source_ip: str
    user_agent: str
    host: str
    request_id: str
    vpc_endpoint_id: str | None = None
    vpc_endpoint_account_id: str | None = None
    event_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    #: The call's ids (``labids.CallIds``), for the ids a record needs beyond ``event_id``.
    ids: Any = field(default=None, repr=False, compare=False)


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _format_date(moment: _dt.datetime, service: str) -> Any:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timefmt.UTC)
    if service == "iam":
        return timefmt.iam_response_date(moment)
    if service == "ec2":
        return timefmt.epoch_millis(moment)
    return timefmt.sts_response_date(moment)


def convert(value: Any, shape: Shape | None, service: str) -> Any:
    """Rename and reformat botocore-shaped data as CloudTrail writes it."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        kind = shape.type_name if shape is not None else None
        for name, item in value.items():
            if kind == "map":
                out[name] = convert(item, shape.value, service)
                continue
            member = shape.members.get(name) if kind == "structure" else None
            lowered = name.lower()
            if lowered in _DROPPED:
                continue
            wire = member.serialization.get("name", name) if (member is not None and service == "ec2") else name
            key = _lower_first(wire)
            if lowered in _HIDDEN:
                out[key] = _HIDDEN[lowered]
                continue
            out[key] = convert(item, member, service)
        return out
    if isinstance(value, list):
        member = shape.member if (shape is not None and shape.type_name == "list") else None
        items = [convert(item, member, service) for item in value]
        return {"items": items} if service == "ec2" else items
    if isinstance(value, _dt.datetime):
        return _format_date(value, service)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def request_parameters(call: ApiCall, host: str, body: bytes) -> dict[str, Any] | None:
    """CloudTrail's ``requestParameters`` for ``call``."""
    if call.service == "s3":
        return _s3_parameters(call, host, body)
    shape = call.operation.input_shape if call.operation else None
    params = convert(call.params, shape, call.service) if call.params else None
    if call.service == "ssm" and call.name == "PutParameter" and params and "value" in params:
        params["value"] = "HIDDEN_DUE_TO_SECURITY_REASONS"  # as CloudTrail writes a parameter's value
    if call.service == "ec2" and call.name == "RunInstances" and params:
        moved = {k: params.pop(k) for k in ("imageId", "minCount", "maxCount", "keyName") if k in params}
        params["instancesSet"] = {"items": [moved]}
    return params or None


def _s3_parameters(call: ApiCall, host: str, body: bytes) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if "Bucket" in call.params:
        params["bucketName"] = call.params["Bucket"]
    params["Host"] = host
    if "Key" in call.params:
        params["key"] = call.params["Key"]
    location = re.search(rb"<LocationConstraint>([^<]*)</LocationConstraint>", body or b"")
    if call.name == "CreateBucket" and location:
        params["CreateBucketConfiguration"] = {"LocationConstraint": location.group(1).decode()}
    if call.name == "PutBucketPolicy":  # AWS records the policy itself, parsed, as bucketPolicy
        try:
            params["bucketPolicy"] = json.loads(body)
        except ValueError:
            pass
    return params


def response_elements(call: ApiCall, response: ParsedResponse) -> dict[str, Any] | None:
    """CloudTrail's ``responseElements``: null for failures and most reads."""
    if response.error_code or not response.output:
        return None
    if call.read_only and call.name not in _RESPONSE_KEPT_WHEN_READ_ONLY:
        return None
    shape = call.operation.output_shape if call.operation else None
    elements = convert(response.output, shape, call.service)
    if call.service == "ec2" and isinstance(elements, dict):
        elements = {"requestId": response.request_id, **elements}
    return elements or None


def error_code(call: ApiCall, response: ParsedResponse) -> str | None:
    """The ``errorCode``; EC2 prefixes it with ``Client.`` or ``Server.``."""
    code = response.error_code
    if code and call.service == "ec2" and not code.startswith(("Client.", "Server.")):
        return f"{'Server' if response.status >= 500 else 'Client'}.{code}"
    return code


def build(
    *,
    call: ApiCall,
    identity: dict[str, Any],
    context: CallContext,
    response: ParsedResponse,
    recipient_account: str,
    body: bytes = b"",
    shared_event_id: str | None = None,
) -> dict[str, Any]:
    """One CloudTrail record for ``call``."""
    record: dict[str, Any] = {
        "eventVersion": EVENT_VERSION,
        "userIdentity": identity,
        "eventTime": timefmt.iso_z(context.event_time),
        "eventSource": call.event_source,
        "eventName": call.name,
        "awsRegion": context.region,
        "sourceIPAddress": context.source_ip,
        "userAgent": context.user_agent,
    }
    code = error_code(call, response)
    if code:
        record["errorCode"] = code
        record["errorMessage"] = response.error_message or code
    record["requestParameters"] = request_parameters(call, context.host, body)
    record["responseElements"] = response_elements(call, response)
    record["requestID"] = response.request_id or context.request_id
    record["eventID"] = context.event_id
    record["readOnly"] = call.read_only
    record["eventType"] = "AwsApiCall"
    record["managementEvent"] = True
    record["recipientAccountId"] = recipient_account
    if shared_event_id:
        record["sharedEventID"] = shared_event_id
    if context.vpc_endpoint_id:
        record["vpcEndpointId"] = context.vpc_endpoint_id
        if context.vpc_endpoint_account_id:
            record["vpcEndpointAccountId"] = context.vpc_endpoint_account_id
    record["eventCategory"] = "Management"
    return record


def aws_account_identity(principal: Principal) -> dict[str, Any]:
    """How a role's account sees a caller from another account (cross-account AssumeRole)."""
    return {"type": "AWSAccount", "principalId": principal.principal_id, "accountId": principal.account_id}


def aws_service_identity(service_host: str) -> dict[str, Any]:
    """An AWS service acting on its own (EC2 delivering instance role credentials)."""
    return {"type": "AWSService", "invokedBy": service_host}


_ID_TYPES = (
    ("i-", "AWS::EC2::Instance"),
    ("vpce-", "AWS::EC2::VPCEndpoint"),
    ("vpc-", "AWS::EC2::VPC"),
    ("sg-", "AWS::EC2::SecurityGroup"),
    ("subnet-", "AWS::EC2::Subnet"),
    ("ami-", "AWS::EC2::Ami"),
    ("AKIA", "AWS::IAM::AccessKey"),
    ("ASIA", "AWS::IAM::AccessKey"),
)
_KEY_TYPES = {
    "userName": "AWS::IAM::User",
    "roleName": "AWS::IAM::Role",
    "roleArn": "AWS::IAM::Role",
    "groupName": "AWS::IAM::Group",
    "policyArn": "AWS::IAM::Policy",
    "instanceProfileName": "AWS::IAM::InstanceProfile",
    "bucketName": "AWS::S3::Bucket",
    "detectorId": "AWS::GuardDuty::Detector",
    "trailARN": "AWS::CloudTrail::Trail",
}


def resources(record: dict[str, Any]) -> list[dict[str, str]]:
    """The resources LookupEvents lists for ``record`` (and filters on)."""
    found: dict[tuple[str, str], None] = {}

    def visit(value: Any, key: str) -> None:
        if isinstance(value, dict):
            for child_key, child in value.items():
                visit(child, key if child_key == "items" else child_key)
        elif isinstance(value, list):
            for item in value:
                visit(item, key)
        elif isinstance(value, str) and value:
            kind = _KEY_TYPES.get(key)
            if kind is None and key.endswith(("Id", "Ids", "id")):
                kind = next((t for prefix, t in _ID_TYPES if value.startswith(prefix)), None)
            if kind is None and key == "name" and record.get("eventSource") == "cloudtrail.amazonaws.com":
                kind = "AWS::CloudTrail::Trail"
            if kind:
                found[(kind, value)] = None

    visit(record.get("requestParameters"), "")
    visit(record.get("responseElements"), "")
    return [{"ResourceType": kind, "ResourceName": name} for kind, name in found]
