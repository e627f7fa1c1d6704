"""The event history itself: pages by account and region, from the token's place, in both orders."""

from __future__ import annotations

import datetime as dt

import pytest
from custodylab.eventstore import EventStore

ACCOUNT = "111111111111"
START = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def record(n: int, region: str) -> dict:
    return {
        "eventVersion": "1.08",
        "eventTime": (START + dt.timedelta(seconds=n // 3)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": "iam.amazonaws.com",
        "eventName": "ListUsers" if n % 2 else "CreateUser",
        "awsRegion": region,
        "eventID": f"{n:08d}-0000-0000-0000-000000000000",
        "readOnly": bool(n % 2),
        "userIdentity": {"type": "IAMUser", "accessKeyId": f"AKIA{n % 4:016d}", "userName": "alice"},
        "recipientAccountId": ACCOUNT,
    }


def every_page(store: EventStore, region: str, size: int, attribute=None) -> list[list[str]]:
    pages, token = [], None
    while True:
        page, token = store.lookup(ACCOUNT, region, attribute, None, None, size, token)
        pages.append([event.event_id for event in page])
        if token is None:
            return pages


@pytest.mark.parametrize("by_event_id", [False, True])
def test_pages_of_one_region_cover_its_events_once_newest_first(by_event_id: bool) -> None:
    store = EventStore(ordered_by_event_id=by_event_id)
    records = [record(n, "us-east-1" if n % 3 else "eu-west-1") for n in range(200)]
    for item in records:
        store.add(item, "alice")
    for region in ("us-east-1", "eu-west-1"):
        pages = every_page(store, region, 7)
        listed = [event_id for page in pages for event_id in page]
        wanted = [r["eventID"] for r in reversed(records) if r["awsRegion"] == region]
        assert listed == wanted
        assert all(len(page) == 7 for page in pages[:-1])


def test_pages_filtered_by_an_attribute_skip_the_rest() -> None:
    store = EventStore()
    records = [record(n, "us-east-1") for n in range(120)]
    for item in records:
        store.add(item, "alice")
    pages = every_page(store, "us-east-1", 5, ("AccessKeyId", f"AKIA{1:016d}"))
    listed = [event_id for page in pages for event_id in page]
    assert listed == [r["eventID"] for r in reversed(records) if r["userIdentity"]["accessKeyId"] == f"AKIA{1:016d}"]


def test_a_stored_event_gives_back_its_record_and_lookup_shape() -> None:
    store = EventStore()
    original = record(5, "us-east-1")
    event = store.add(original, "alice")
    assert event.record == original
    shaped = event.lookup_shape()
    assert shaped["EventId"] == original["eventID"]
    assert shaped["ReadOnly"] == "true"
    assert shaped["AccessKeyId"] == original["userIdentity"]["accessKeyId"]
    assert shaped["Username"] == "alice"
    assert shaped["CloudTrailEvent"] == event.text
    assert store.events(ACCOUNT)[0].record == original
