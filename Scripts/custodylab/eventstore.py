"""The event history: every recorded call, per account, newest first on lookup.

Events are ordered by time, and within one second by arrival; with
``ordered_by_event_id`` (the lab's ``--seed``, which derives event ids from
the calls) by event id instead, so that calls that arrived together in
any order are listed, and paged, the same way every time.

Each event becomes visible at its own time (``visible_at``: its
``eventTime`` plus its delay, see ``eventdelay``; at once without
``--event-delay``): lookups leave out what is not visible yet, as AWS's
history lags the calls.
"""

from __future__ import annotations

import base64
import bisect
import datetime as _dt
import hashlib
import json
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import timefmt
from .eventdelay import EventDelay
from .records import resources

#: The attributes LookupEvents filters on, and how each reads an event.
LOOKUP_ATTRIBUTES = (
    "EventId",
    "EventName",
    "ReadOnly",
    "Username",
    "ResourceType",
    "ResourceName",
    "EventSource",
    "AccessKeyId",
)


@dataclass(slots=True)
class StoredEvent:
    """One record, kept as its JSON text with what LookupEvents filters on read out once.

    The text is the record; the dict is parsed again when asked for (``record``), so that the
    history of millions of events holds about a kilobyte each rather than a parsed tree.
    """

    seq: int
    account_id: str
    region: str
    time: _dt.datetime
    visible_at: _dt.datetime | None
    text: str = field(repr=False)
    event_id: str
    event_name: str
    event_source: str
    read_only: str
    access_key_id: str | None = None
    username: str | None = None
    resources: tuple[dict[str, str], ...] = ()

    @property
    def record(self) -> dict[str, Any]:
        """The record, parsed from its text (a new dict each time)."""
        return json.loads(self.text)

    def shown(self, now: _dt.datetime | None, visible_before: _dt.datetime | None) -> bool:
        """Whether the history shows this event: visible by ``now``, and earlier than ``visible_before``."""
        if now is not None and self.visible_at is not None and self.visible_at > now:
            return False
        return visible_before is None or self.time < visible_before

    def matches(self, key: str, value: str) -> bool:
        """Whether this event matches the lookup attribute ``key`` = ``value``."""
        if key == "EventId":
            return self.event_id == value
        if key == "EventName":
            return self.event_name == value
        if key == "ReadOnly":
            return self.read_only == value.lower()
        if key == "Username":
            return self.username == value
        if key == "EventSource":
            return self.event_source == value
        if key == "AccessKeyId":
            return self.access_key_id == value
        if key == "ResourceType":
            return any(r["ResourceType"] == value for r in self.resources)
        if key == "ResourceName":
            return any(r["ResourceName"] == value for r in self.resources)
        return False

    def lookup_shape(self) -> dict[str, Any]:
        """The event as LookupEvents returns it."""
        shaped: dict[str, Any] = {"EventId": self.event_id, "EventName": self.event_name, "ReadOnly": self.read_only}
        if self.access_key_id:
            shaped["AccessKeyId"] = self.access_key_id
        shaped["EventTime"] = self.time.timestamp()
        shaped["EventSource"] = self.event_source
        if self.username:
            shaped["Username"] = self.username
        shaped["Resources"] = list(self.resources)
        shaped["CloudTrailEvent"] = self.text
        return shaped


class InvalidNextToken(ValueError):
    """A NextToken that this lab did not issue for this query."""


class EventStore:
    """Thread-safe, append-only event history, optionally journalled as JSON lines."""

    def __init__(  # noqa: D107
        self, journal: Path | None = None, *, ordered_by_event_id: bool = False, delay: EventDelay | None = None
    ) -> None:
        self._by_id = ordered_by_event_id
        self._delay = delay or EventDelay()
        self._lock = threading.Lock()
        self._by_account: dict[str, list[StoredEvent]] = {}
        # The same events by account and region, which is what LookupEvents reads.
        self._by_pair: dict[tuple[str, str], list[StoredEvent]] = {}
        self._seq = 0
        self._journal = journal.open("a", encoding="utf-8") if journal else None

    def add(self, record: dict[str, Any], username: str | None) -> StoredEvent:
        """Store ``record`` in the history of its ``recipientAccountId``."""
        text = json.dumps(record, separators=(",", ":"))
        moment = timefmt.parse_iso_z(record["eventTime"])
        shared = sys.intern
        account, region = shared(record["recipientAccountId"]), shared(record["awsRegion"])
        access_key = (record.get("userIdentity") or {}).get("accessKeyId")
        with self._lock:
            self._seq += 1
            event = StoredEvent(
                seq=self._seq,
                account_id=account,
                region=region,
                time=moment,
                visible_at=self._delay.visible_at(record, moment),
                text=text,
                event_id=str(record.get("eventID", "")),
                event_name=shared(str(record.get("eventName", ""))),
                event_source=shared(str(record.get("eventSource", ""))),
                read_only=shared(str(record.get("readOnly", False)).lower()),
                access_key_id=shared(access_key) if access_key else None,
                username=shared(username) if username else None,
                resources=tuple(resources(record)),
            )
            for events in (self._by_account.setdefault(account, []), self._by_pair.setdefault((account, region), [])):
                if self._by_id:
                    bisect.insort(events, event, key=self._position)
                else:
                    events.append(event)
            if self._journal:
                self._journal.write(text + "\n")
                self._journal.flush()
        return event

    def _position(self, event: StoredEvent) -> tuple[Any, ...]:
        """Where ``event`` stands in its account's history (and in a NextToken)."""
        if self._by_id:
            return (event.time.timestamp(), event.event_id)
        return (event.seq,)

    def events(
        self, account_id: str | None = None, now: _dt.datetime | None = None, visible_before: _dt.datetime | None = None
    ) -> list[StoredEvent]:
        """All events (of one account), oldest first; only those shown at ``now`` (see :meth:`lookup`) if given."""
        with self._lock:
            if account_id is not None:
                events = list(self._by_account.get(account_id, []))
            else:
                events = sorted((e for events in self._by_account.values() for e in events), key=lambda e: e.seq)
        return [e for e in events if e.shown(now, visible_before)]

    def lookup(
        self,
        account_id: str,
        region: str,
        attribute: tuple[str, str] | None,
        start: _dt.datetime | None,
        end: _dt.datetime | None,
        max_results: int,
        next_token: str | None,
        visible_before: _dt.datetime | None = None,
        now: _dt.datetime | None = None,
    ) -> tuple[list[StoredEvent], str | None]:
        """One page of LookupEvents: newest first, with the token of the next page.

        ``visible_before``: leave out events at or after this time (not in the history yet).
        ``now``: leave out events not visible yet at this time (their delay has not passed).
        An event that becomes visible between two pages is on a later page if it comes after
        the token's position in the listing's order, on none otherwise: no page repeats an event.
        """
        fingerprint = hashlib.sha256(repr((account_id, region, attribute, start, end)).encode()).hexdigest()[:16]
        before = _decode_token(next_token, fingerprint) if next_token else None
        if before is not None and len(before) != (2 if self._by_id else 1):
            raise InvalidNextToken("Invalid NextToken: not one this lab issued.")
        with self._lock:
            candidates = list(self._by_pair.get((account_id, region), []))
        # The listing is newest first: a page after the first starts just before the token's position.
        below = len(candidates) if before is None else bisect.bisect_left(candidates, before, key=self._position)
        page: list[StoredEvent] = []
        more = False
        for index in range(below - 1, -1, -1):
            event = candidates[index]
            if start is not None and event.time < start:
                continue
            if end is not None and event.time > end:
                continue
            if not event.shown(now, visible_before):
                continue
            if attribute is not None and not event.matches(*attribute):
                continue
            if len(page) == max_results:
                more = True
                break
            page.append(event)
        token = _encode_token(self._position(page[-1]), fingerprint) if more and page else None
        return page, token

    def close(self) -> None:
        """Close the journal."""
        with self._lock:
            if self._journal:
                self._journal.close()
                self._journal = None


def _encode_token(position: tuple[Any, ...], fingerprint: str) -> str:
    before: Any = position[0] if len(position) == 1 else list(position)
    return base64.urlsafe_b64encode(json.dumps({"before": before, "query": fingerprint}).encode()).decode()


def _decode_token(token: str, fingerprint: str) -> tuple[Any, ...]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        if data["query"] != fingerprint:
            raise InvalidNextToken("The NextToken was issued for a different query.")
        before = data["before"]
        if isinstance(before, list) and len(before) == 2:
            return (float(before[0]), str(before[1]))
        return (int(before),)
    except (ValueError, KeyError, TypeError) as error:
        raise InvalidNextToken(f"Invalid NextToken: {error}") from None
