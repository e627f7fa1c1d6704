"""Log and digest files delivered to the S3 buckets of trails that are logging.

A record joins a trail's pending log when the trail is logging at the time
of the call and covers the call's region (its home region, every region
for a multi-region trail, or us-east-1's global service events). Delivery
writes one gzip log file per trail and region under CloudTrail's key
layout; for trails with log file validation, a digest file per trail and
region then lists the log files delivered since the previous digest, is
signed as AWS signs it, and links to its predecessor. Objects are written
straight into moto's S3 backend: delivery is CloudTrail's own doing, not an
API call, so it leaves no record.

A record is delivered once it is visible (``--event-delay``, see
``eventdelay``): until then it stays pending, as AWS delivers minutes
after the call; when the lab stops, everything pending is delivered.

With ``--seed`` a log file's records are in (time, event id) order rather
than arrival order, and its name's random part is derived from its
content; with ``--clock`` delivery happens only on ``/lab-api/flush``
(and when the lab stops), never in the background.
"""

from __future__ import annotations

import datetime as _dt
import gzip
import hashlib
import json
import string
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from moto.cloudtrail.models import cloudtrail_backends
from moto.organizations.models import organizations_backends
from moto.s3.models import s3_backends

from . import labids, regions, timefmt
from .labclock import CLOCK
from .signing import ALGORITHM, DigestSigner


@dataclass(frozen=True)
class TrailInfo:
    """What delivery needs to know about a trail."""

    account_id: str
    name: str
    arn: str
    home_region: str
    bucket: str
    prefix: str
    multi_region: bool
    include_global: bool
    validation: bool
    #: The Organization's id for an organization trail (which logs every account of it), else None.
    organization_id: str | None = None

    def covers(self, record: dict[str, Any]) -> bool:
        """Whether this trail logs ``record``."""
        region = record["awsRegion"]
        if self.multi_region or region == self.home_region:
            return True
        return self.include_global and record["eventSource"] in regions.GLOBAL_EVENT_SOURCES

    def key(self, rest: str) -> str:
        """``rest`` under the trail's optional S3 key prefix."""
        return f"{self.prefix}/{rest}" if self.prefix else rest

    def account_root(self, account: str) -> str:
        """Where ``account``'s files go: ``AWSLogs/<account>``, or ``AWSLogs/<organization id>/<account>`` for an organization trail."""
        return self.key(f"AWSLogs/{self.organization_id}/{account}" if self.organization_id else f"AWSLogs/{account}")


def logging_trails(account_id: str) -> list[TrailInfo]:
    """The trails logging ``account_id``'s calls now, read from moto: its own, and its Organization's organization trails."""
    found = [_info(trail) for trail in _trails(account_id) if not trail.is_org_trail]
    organization = organization_of(account_id)
    if organization is not None:
        organization_id, management = organization
        found += [_info(trail, organization_id) for trail in _trails(management) if trail.is_org_trail]
    return found


def _trails(account_id: str) -> list[Any]:
    """The trails of ``account_id`` that are logging, each once (from its home region)."""
    found = []
    for region, backend in list(dict.items(cloudtrail_backends[account_id])):
        for trail in list(backend.trails.values()):
            if trail.status.is_logging and trail.region_name == region:
                found.append(trail)
    return found


def organization_of(account_id: str) -> tuple[str, str] | None:
    """``(organization id, management account id)`` of the Organization ``account_id`` belongs to, if any."""
    for management, per_partition in list(organizations_backends.items()):
        backend = dict.get(per_partition, "aws")
        org = getattr(backend, "org", None)
        if org is None:
            continue
        if account_id == management or any(a.id == account_id for a in backend.accounts):
            return org.id, management
    return None


def _info(trail: Any, organization_id: str | None = None) -> TrailInfo:
    return TrailInfo(
        account_id=trail.account_id,
        name=trail.trail_name,
        arn=trail.arn,
        home_region=trail.region_name,
        bucket=trail.bucket_name,
        prefix=(trail.s3_key_prefix or "").strip("/"),
        multi_region=bool(trail.is_multi_region),
        include_global=trail.include_global_service_events is not False,
        validation=bool(trail.log_validation),
        organization_id=organization_id,
    )


@dataclass
class _Chain:
    """The digest chain of one trail for one account (the trail's own, or a member's for an organization trail) in one region."""

    trail: TrailInfo
    account: str
    region: str
    start: _dt.datetime
    log_files: list[dict[str, Any]] = field(default_factory=list)
    previous: dict[str, str] | None = None
    last_end: _dt.datetime | None = None
    logging_since_digest: bool = True


def _random_suffix(*name: Any) -> str:
    """The 16 random characters of a log file name (derived from ``name`` with ``--seed``)."""
    return labids.IDS.for_call("log-file", *name).text("suffix", 16, string.ascii_letters + string.digits)


def _put(bucket: str, key: str, body: bytes, metadata: dict[str, str]) -> bool:
    owner = s3_backends.bucket_accounts.get(bucket)
    if owner is None:
        return False  # the bucket is gone: AWS would fail to deliver too
    partition, account_id = owner
    stored = s3_backends[account_id][partition].put_object(bucket, key, body)
    stored.set_metadata(dict(metadata))
    return True


class Delivery:
    """Pending log records and digest chains of every trail; delivers on demand."""

    def __init__(self, signer: DigestSigner) -> None:  # noqa: D107
        self._signer = signer
        self._lock = threading.RLock()
        #: Per trail, account and region: (when visible, record); None for at once.
        self._pending: dict[tuple[str, str, str], list[tuple[_dt.datetime | None, dict[str, Any]]]] = {}
        self._trails: dict[str, TrailInfo] = {}
        self._chains: dict[tuple[str, str, str], _Chain] = {}
        self.delivered: list[tuple[str, str]] = []

    def record(self, record: dict[str, Any], trails: list[TrailInfo], visible_at: _dt.datetime | None = None) -> None:
        """Queue ``record``, to be delivered once visible (at ``visible_at``), for each of ``trails`` that covers it."""
        with self._lock:
            for trail in trails:
                self._note_trail(trail)
                if trail.covers(record):
                    account = record["recipientAccountId"] if trail.organization_id else trail.account_id
                    self._pending.setdefault((trail.arn, account, record["awsRegion"]), []).append((visible_at, record))
                    self._chain(trail, account, record["awsRegion"])

    def _note_trail(self, trail: TrailInfo) -> None:
        self._trails[trail.arn] = trail
        if trail.validation:
            self._chain(trail, trail.account_id, trail.home_region)

    def _chain(self, trail: TrailInfo, account: str, region: str) -> _Chain | None:
        if not trail.validation:
            return None
        chain = self._chains.get((trail.arn, account, region))
        if chain is None:
            chain = _Chain(trail=trail, account=account, region=region, start=timefmt.utcnow())
            self._chains[(trail.arn, account, region)] = chain
        chain.trail = trail
        chain.logging_since_digest = True
        return chain

    def deliver_logs(self, everything: bool = False) -> int:
        """Write a log file of the visible pending records (all of them with ``everything``) per trail and region.

        Returns how many were written; records not visible yet stay pending.
        """
        now = timefmt.utcnow()
        written = 0
        with self._lock:
            pending, self._pending = self._pending, {}
            for (arn, account, region), queued in sorted(pending.items()):
                records = []
                for visible_at, record in queued:
                    if everything or visible_at is None or visible_at <= now:
                        records.append(record)
                    else:
                        self._pending.setdefault((arn, account, region), []).append((visible_at, record))
                if not records:
                    continue
                trail = self._trails[arn]
                if labids.IDS.seeded:  # arrival order is a race between parallel calls
                    records = sorted(records, key=lambda r: (r["eventTime"], r["eventID"]))
                if self._write_log(trail, account, region, records, now):
                    written += 1
        return written

    def _write_log(self, trail: TrailInfo, account: str, region: str, records: list[dict[str, Any]], now: _dt.datetime) -> bool:
        body = json.dumps({"Records": records}, separators=(",", ":")).encode()
        # The trail's own account keeps the name's random part as it was before organization trails.
        name_parts = (trail.arn, region) if account == trail.account_id else (trail.arn, account, region)
        suffix = _random_suffix(*name_parts, timefmt.iso_z(now), hashlib.sha256(body).hexdigest())
        name = f"{account}_CloudTrail_{region}_{timefmt.log_file_stamp(now)}_{suffix}.json.gz"
        key = f"{trail.account_root(account)}/CloudTrail/{region}/{timefmt.date_path(now)}/{name}"
        metadata = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
        # The gzip header's mtime is the delivery time, the lab's (logical with --clock), not the wall clock's.
        if not _put(trail.bucket, key, gzip.compress(body, mtime=now.timestamp()), metadata):
            return False
        self.delivered.append((trail.bucket, key))
        times = sorted(r["eventTime"] for r in records)
        chain = self._chains.get((trail.arn, account, region)) if trail.validation else None
        if chain is not None:
            chain.log_files.append(
                {
                    "s3Bucket": trail.bucket,
                    "s3Object": key,
                    "hashValue": hashlib.sha256(body).hexdigest(),
                    "hashAlgorithm": "SHA-256",
                    "newestEventTime": times[-1],
                    "oldestEventTime": times[0],
                }
            )
        return True

    def deliver_history(self, trail: TrailInfo, account: str, region: str, start: _dt.datetime, files) -> tuple[int, int]:
        """Write past log files of ``account`` in ``region`` as they were delivered, with a digest at each hour's end.

        ``files`` yields ``(delivered_at, records)`` in time order, every delivery at or after
        ``start`` and not after now. A digest is written at each whole hour that ends after a file
        was delivered; the files of the last, unfinished hour wait for the next digest that
        :meth:`deliver_digests` writes, as live ones do. Returns (log files, digest files) written.
        Only a chain nothing was delivered to yet can be given a past: a digest cannot precede one
        already written.
        """
        logs = digests = 0
        with self._lock:
            self._note_trail(trail)
            chain = self._chain(trail, account, region)
            if chain is not None:
                if chain.last_end is not None or chain.log_files:
                    raise ValueError(f"{account}/{region} of {trail.name} has delivered files already: its past cannot be written now.")
                chain.start = start
            for delivered_at, records in files:
                if chain is not None and chain.log_files:
                    hour_end = chain.start.replace(minute=0, second=0) + _dt.timedelta(hours=1)
                    if delivered_at >= hour_end:
                        digests += self._write_digest(chain, hour_end)
                logs += self._write_log(trail, account, region, records, delivered_at)
        return logs, digests

    def deliver_digests(self, logging_now: list[TrailInfo]) -> int:
        """Write a digest for every chain that is due; returns how many were written.

        A chain is due while its trail is logging, and once more after
        logging stops (covering the files delivered up to then).
        """
        with self._lock:
            for trail in logging_now:
                self._note_trail(trail)
            live = {t.arn for t in logging_now}
            due = [c for c in self._chains.values() if c.trail.arn in live or c.log_files or c.logging_since_digest]
            if not due:
                return 0
            end = timefmt.utcnow()
            latest = max((c.last_end for c in due if c.last_end), default=None)
            if latest is not None and end <= latest:
                # Digest keys carry the end time to the second: never reuse one.
                if CLOCK.logical:  # waiting would not move a logical clock
                    end = latest + _dt.timedelta(seconds=1)
                else:
                    time.sleep((latest - end).total_seconds() + 1.0)
                    end = timefmt.utcnow()
            written = 0
            for chain in due:
                if self._write_digest(chain, end):
                    written += 1
                chain.logging_since_digest = chain.trail.arn in live
            return written

    def _write_digest(self, chain: _Chain, end: _dt.datetime) -> bool:
        trail, account, region = chain.trail, chain.account, chain.region
        stamp = timefmt.amz_date(end)
        name = f"{account}_CloudTrail-Digest_{region}_{trail.name}_{trail.home_region}_{stamp}.json.gz"
        key = f"{trail.account_root(account)}/CloudTrail-Digest/{region}/{timefmt.date_path(end)}/{name}"
        files = chain.log_files
        previous = chain.previous or {}
        digest = {
            "awsAccountId": account,
            "digestStartTime": timefmt.iso_z(chain.start),
            "digestEndTime": timefmt.iso_z(end),
            "digestS3Bucket": trail.bucket,
            "digestS3Object": key,
            "digestPublicKeyFingerprint": self._signer.fingerprint,
            "digestSignatureAlgorithm": ALGORITHM,
            "newestEventTime": max((f["newestEventTime"] for f in files), default=None),
            "oldestEventTime": min((f["oldestEventTime"] for f in files), default=None),
            "previousDigestS3Bucket": previous.get("bucket"),
            "previousDigestS3Object": previous.get("key"),
            "previousDigestHashValue": previous.get("hash"),
            "previousDigestHashAlgorithm": "SHA-256" if previous else None,
            "previousDigestSignature": previous.get("signature"),
            "logFiles": list(files),
        }
        body = json.dumps(digest, separators=(",", ":")).encode()
        digest_hash = hashlib.sha256(body).hexdigest()
        to_sign = f"{digest['digestEndTime']}\n{trail.bucket}/{key}\n{digest_hash}\n{previous.get('signature') or 'null'}"
        signature = self._signer.sign(to_sign.encode()).hex()
        metadata = {
            "Content-Type": "application/json",
            "Content-Encoding": "gzip",
            "x-amz-meta-signature": signature,
            "x-amz-meta-signature-algorithm": ALGORITHM,
        }
        if not _put(trail.bucket, key, gzip.compress(body, mtime=end.timestamp()), metadata):
            return False
        self.delivered.append((trail.bucket, key))
        chain.previous = {"bucket": trail.bucket, "key": key, "hash": digest_hash, "signature": signature}
        chain.log_files = []
        chain.start = end
        chain.last_end = end
        return True


class DeliveryLoop(threading.Thread):
    """Background delivery: log files every ``log_interval``, digests every ``digest_interval`` seconds."""

    def __init__(self, flush_logs, flush_digests, log_interval: float, digest_interval: float) -> None:  # noqa: D107
        super().__init__(name="cloudtrail-delivery", daemon=True)
        self._flush_logs = flush_logs
        self._flush_digests = flush_digests
        self._log_interval = log_interval
        self._digest_interval = digest_interval
        self._stop = threading.Event()

    def run(self) -> None:  # noqa: D102
        last_digest = time.monotonic()
        while not self._stop.wait(self._log_interval):
            self._flush_logs()
            if time.monotonic() - last_digest >= self._digest_interval:
                self._flush_digests()
                last_digest = time.monotonic()

    def stop(self) -> None:
        """Stop after the current round."""
        self._stop.set()
