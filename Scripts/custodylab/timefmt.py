"""The time formats that CloudTrail and the APIs around it use."""

from __future__ import annotations

import datetime as _dt

from .labclock import CLOCK

UTC = _dt.timezone.utc


def utcnow() -> _dt.datetime:
    """The lab's current time (logical with ``--clock``), timezone-aware, in UTC, without microseconds."""
    return CLOCK.now()


def real_utcnow() -> _dt.datetime:
    """The real time, whatever the lab's clock says: for checks against a client's own clock."""
    return CLOCK.real_now()


def parse_iso(text: str) -> _dt.datetime:
    """``2026-11-02T09:00:00Z`` (or with an offset) as an aware datetime in UTC."""
    moment = _dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def iso_z(moment: _dt.datetime) -> str:
    """``2024-08-18T11:06:36Z``: eventTime, digest times, creationDate."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso_z(text: str) -> _dt.datetime:
    """Inverse of :func:`iso_z`."""
    return _dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def amz_date(moment: _dt.datetime) -> str:
    """``20240818T110636Z``: the SigV4 ``X-Amz-Date`` format."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def parse_amz_date(text: str) -> _dt.datetime:
    """Inverse of :func:`amz_date`; raises ``ValueError`` on bad input."""
    return _dt.datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def log_file_stamp(moment: _dt.datetime) -> str:
    """``20150801T0210Z``: the minute stamp in a log file's name."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%MZ")


def date_path(moment: _dt.datetime) -> str:
    """``2015/08/01``: the date folders of log and digest keys."""
    return moment.astimezone(UTC).strftime("%Y/%m/%d")


def _twelve_hour(moment: _dt.datetime) -> tuple[str, str]:
    moment = moment.astimezone(UTC)
    day = f"{moment.strftime('%b')} {moment.day}, {moment.year}"
    hour = moment.hour % 12 or 12
    clock = f"{hour}:{moment.strftime('%M:%S')} {moment.strftime('%p')}"
    return day, clock


def iam_response_date(moment: _dt.datetime) -> str:
    """``Jul 30, 2024 9:53:13 PM``: dates in IAM responseElements."""
    day, clock = _twelve_hour(moment)
    return f"{day} {clock}"


def sts_response_date(moment: _dt.datetime) -> str:
    """``Nov 30, 2024, 8:43:17 PM``: dates in STS and most other responseElements."""
    day, clock = _twelve_hour(moment)
    return f"{day}, {clock}"


def epoch_millis(moment: _dt.datetime) -> int:
    """Milliseconds since the epoch: dates in EC2 responseElements."""
    return int(moment.timestamp() * 1000)
