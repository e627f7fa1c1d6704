"""``POST /lab-api/seed-trail``: hours of an Organization's activity in its organization trail at once, for benchmarks.

Recording millions of calls one by one would take the lab hours; this writes
their log files as delivery would have: per account and region, one gzip log
file per ``fileMinutes`` (5, as CloudTrail delivers) holding that slot's
records, delivered a minute after the slot, and a signed digest file at the
end of each hour, chained as live ones are (``Delivery.deliver_history``).
The records are read-only and write management events in the documented
shape, from a few dozen IAM users and role sessions of each account, with
``userAgent`` ``custody-lab-seed`` so nobody mistakes them for calls that
were made. With ``history`` they also join the event history that
LookupEvents reads (and ``/lab-api/events`` lists), oldest first.

Body: ``{"events": 200000, "hours": 24, "regions": ["us-east-1", ...],
"accounts": ["..."], "history": true, "fileMinutes": 5, "seed": 1}``;
``events`` is spread evenly over the accounts (default: every account of
the Organization) and regions, and over the ``hours`` that end at the last
whole slot before now. Needs ``--organization-trail``, and must come before
anything is delivered to the chains it writes (start the lab with a long
``--digest-interval``). Answers what was written: events, log files,
digest files, their compressed bytes, and the window.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import random
import uuid
from typing import TYPE_CHECKING, Any, Iterator

from moto.organizations.models import organizations_backends

from . import s3objects, timefmt
from .delivery import TrailInfo, logging_trails

if TYPE_CHECKING:
    from .app import LabApp

#: The most events one request writes.
MAX_EVENTS = 10_000_000

#: Read-only calls (source, name, request parameters) and the writes, about 1 in 20.
_READS = [
    ("ec2.amazonaws.com", "DescribeInstances", {"instancesSet": {}, "filterSet": {}}),
    ("ec2.amazonaws.com", "DescribeVolumes", {"volumeSet": {}, "filterSet": {}}),
    ("s3.amazonaws.com", "ListBuckets", {"Host": "s3.amazonaws.com"}),
    ("sts.amazonaws.com", "GetCallerIdentity", None),
    ("logs.amazonaws.com", "DescribeLogStreams", {"logGroupName": "/aws/lambda/orders"}),
    ("ssm.amazonaws.com", "GetParameter", {"name": "/app/database/url", "withDecryption": False}),
    ("kms.amazonaws.com", "Decrypt", {"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}),
    ("lambda.amazonaws.com", "ListFunctions20150331", None),
    ("monitoring.amazonaws.com", "GetMetricData", None),
    ("dynamodb.amazonaws.com", "DescribeTable", {"tableName": "orders"}),
]
_WRITES = [
    ("ec2.amazonaws.com", "CreateTags", {"resourcesSet": {"items": [{"resourceId": "i-0123456789abcdef0"}]}}),
    ("ssm.amazonaws.com", "PutParameter", {"name": "/app/build", "type": "String", "overwrite": True}),
    ("monitoring.amazonaws.com", "PutMetricAlarm", {"alarmName": "orders-latency"}),
]
_AGENTS = [
    "aws-cli/2.15.30 Python/3.11.8 Linux/6.1 exe/x86_64.amzn.2",
    "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1 lang/python#3.11",
    "aws-sdk-go-v2/1.25.3 os/linux lang/go#1.22.1",
]
_USERS = 20
_SESSIONS = 10
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


class SeedError(ValueError):
    """A seed-trail request the lab cannot serve; ``status`` is the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:  # noqa: D107
        super().__init__(message)
        self.status = status


def seed_trail(app: "LabApp", body: dict[str, Any]) -> dict[str, Any]:
    """Write ``events`` records into the organization trail's bucket (and the history with ``history``)."""
    try:
        events = int(body.get("events", 0))
        hours = float(body.get("hours", 24))
        file_minutes = int(body.get("fileMinutes", 5))
        seed = int(body.get("seed", 1))
    except (TypeError, ValueError):
        raise SeedError(400, "events, hours, fileMinutes and seed are numbers.") from None
    regions = [str(r) for r in body.get("regions") or []]
    if not 0 < events <= MAX_EVENTS or not 0 < hours <= 24 * 90 or not 0 < file_minutes <= 60 or not regions:
        raise SeedError(400, f"seed-trail needs events (1 to {MAX_EVENTS}), hours (up to 2160), fileMinutes (1 to 60) and regions.")
    trail = _organization_trail(app.management_account)
    every = _organization_accounts(app.management_account)
    accounts = [str(a) for a in body.get("accounts") or every]
    if unknown := sorted(set(accounts) - set(every)):
        raise SeedError(400, f"Not accounts of the Organization: {', '.join(unknown)}.")
    history = bool(body.get("history", False))

    slot = _dt.timedelta(minutes=file_minutes)
    now = timefmt.utcnow()
    # The last whole slot before now, whose file has been delivered (a minute after it ended) by now.
    end = now.replace(minute=now.minute - now.minute % file_minutes, second=0, microsecond=0) - slot
    slots = max(1, int(hours * 60) // file_minutes)
    start = end - slots * slot
    # The share of the whole run's events, so that a run split into one request per account adds up.
    per_pair = events // (len(every) * len(regions))
    totals = {"events": 0, "logFiles": 0, "digestFiles": 0, "bytes": 0}
    before = len(app.delivery.delivered)
    with app.lock:
        for account in [a for a in every if a in accounts]:
            kept: list[dict[str, Any]] | None = [] if history else None
            for region in regions:
                batches = _batches(_Generator(account, region, seed), start, slot, slots, per_pair, totals, kept)
                try:
                    logs, digests = app.delivery.deliver_history(trail, account, region, start, batches)
                except ValueError as error:
                    raise SeedError(409, f"{error} Seed the trail before anything is delivered (a long --digest-interval).") from None
                totals["logFiles"] += logs
                totals["digestFiles"] += digests
            # The history is kept oldest first, the account's regions together, as the calls would have come.
            for record in sorted(kept or [], key=lambda r: r["eventTime"]):
                identity = record["userIdentity"]
                app.store.add(record, identity.get("userName") or identity["arn"].rsplit("/", 1)[-1])
    totals["bytes"] = sum(s3objects.object_size(bucket, key) for bucket, key in app.delivery.delivered[before:])
    return {**totals, "from": timefmt.iso_z(start), "to": timefmt.iso_z(end), "bucket": trail.bucket}


def _batches(generator, start, slot, slots, count, totals, kept) -> Iterator[tuple[_dt.datetime, list[dict[str, Any]]]]:
    """One batch of records per slot with any, delivered a minute after the slot ends; each also added to ``kept`` if given."""
    for index in range(slots):
        here = count * (index + 1) // slots - count * index // slots
        if not here:
            continue
        begin = start + index * slot
        step = slot.total_seconds() / here
        records = [generator.record(begin + _dt.timedelta(seconds=int(n * step))) for n in range(here)]
        if kept is not None:
            kept.extend(records)
        totals["events"] += here
        yield begin + slot + _dt.timedelta(minutes=1), records


class _Generator:
    """The records of one account and region: its users and sessions making their usual calls."""

    def __init__(self, account: str, region: str, seed: int) -> None:  # noqa: D107
        self.account, self.region = account, region
        self.random = random.Random(f"{seed}/{account}/{region}")
        self.identities = [self._user(n) for n in range(_USERS)] + [self._session(n) for n in range(_SESSIONS)]

    def _key(self, prefix: str, label: str) -> str:
        digest = hashlib.sha256(f"{self.account}/{label}".encode()).digest()
        return prefix + "".join(_UPPER[b % 32] for b in digest[:16])

    def _user(self, n: int) -> tuple[dict[str, Any], str]:
        name = f"app-{n:02d}"
        identity = {
            "type": "IAMUser",
            "principalId": self._key("AIDA", name),
            "arn": f"arn:aws:iam::{self.account}:user/{name}",
            "accountId": self.account,
            "accessKeyId": self._key("AKIA", name),
            "userName": name,
        }
        return identity, f"10.{int(self.account[-2:]) % 250}.{n}.{n % 7 + 1}"

    def _session(self, n: int) -> tuple[dict[str, Any], str]:
        role = f"service-role-{n % 5}"
        role_id = self._key("AROA", role)
        identity = {
            "type": "AssumedRole",
            "principalId": f"{role_id}:session-{n}",
            "arn": f"arn:aws:sts::{self.account}:assumed-role/{role}/session-{n}",
            "accountId": self.account,
            "accessKeyId": self._key("ASIA", f"session-{n}"),
            "sessionContext": {
                "sessionIssuer": {
                    "type": "Role",
                    "principalId": role_id,
                    "arn": f"arn:aws:iam::{self.account}:role/{role}",
                    "accountId": self.account,
                    "userName": role,
                },
                "attributes": {"creationDate": "2026-01-01T00:00:00Z", "mfaAuthenticated": "false"},
            },
        }
        return identity, f"10.{int(self.account[-2:]) % 250}.{100 + n}.1"

    def record(self, moment: _dt.datetime) -> dict[str, Any]:
        """One event at ``moment``."""
        chance = self.random.random()
        identity, address = self.identities[int(chance * 997) % len(self.identities)]
        write = chance < 0.05
        source, name, parameters = (_WRITES if write else _READS)[int(chance * 7919) % (3 if write else len(_READS))]
        event_id = str(uuid.UUID(int=self.random.getrandbits(128), version=4))
        return {
            "eventVersion": "1.09",
            "userIdentity": identity,
            "eventTime": timefmt.iso_z(moment),
            "eventSource": source,
            "eventName": name,
            "awsRegion": self.region,
            "sourceIPAddress": address,
            "userAgent": f"{_AGENTS[int(chance * 31) % len(_AGENTS)]} custody-lab-seed",
            "requestParameters": parameters,
            "responseElements": None,
            "requestID": str(uuid.UUID(int=self.random.getrandbits(128), version=4)),
            "eventID": event_id,
            "readOnly": not write,
            "eventType": "AwsApiCall",
            "managementEvent": True,
            "recipientAccountId": self.account,
            "eventCategory": "Management",
            "tlsDetails": {
                "tlsVersion": "TLSv1.3",
                "cipherSuite": "TLS_AES_128_GCM_SHA256",
                "clientProvidedHostHeader": f"{source.split('.')[0]}.{self.region}.amazonaws.com",
            },
        }


def _organization_trail(management: str) -> TrailInfo:
    for trail in logging_trails(management):
        if trail.organization_id and trail.validation:
            return trail
    raise SeedError(409, "No organization trail with log file validation is logging: start the lab with --organization-trail.")


def _organization_accounts(management: str) -> list[str]:
    backend = dict.get(organizations_backends[management], "aws")
    found = [management] + [a.id for a in getattr(backend, "accounts", [])]
    return list(dict.fromkeys(found))

