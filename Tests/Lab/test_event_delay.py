"""A late CloudTrail (``Scripts/lab --event-delay S``): records show, and are delivered, up to S seconds late."""

from __future__ import annotations

import datetime as _dt
import gzip
import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from conftest import admin, lookup
from custodylab.eventdelay import EventDelay
from custodylab.server import parse_args

START = "2020-01-02T03:04:05Z"
DELAY = 20
CLOCKED = ["--clock", START, "--seed", "7"]
LATE = [*CLOCKED, "--event-delay", str(DELAY)]


@pytest.fixture(scope="module")
def twins(start_lab) -> tuple[Any, Any]:
    """Two labs with the same clock, seed and event delay."""
    return start_lab(accounts=3, extra=LATE).lab, start_lab(accounts=3, extra=LATE).lab


def _move_to(labs) -> int:
    """Move every lab's logical clock to a minute past the latest of them, the same time; returns it."""
    target = max(lab.clock()["epoch"] for lab in labs) + 60
    for lab in labs:
        lab.advance_clock(target - lab.clock()["epoch"])
    return target


def _calls(lab, account: int = 1) -> None:
    """Several management calls by an account's administrator, all at the lab's current time."""
    actor = admin(lab, account, source_ip="198.51.100.20")
    iam = lab.client(actor, "iam")
    iam.list_users()
    iam.list_roles()
    iam.list_groups()
    sts = lab.client(actor, "sts")
    for _ in range(4):
        sts.get_caller_identity()
    lab.client(actor, "ec2").describe_vpcs()


def _made_at(lab, account_id: str, moment: str, visible: bool = False) -> list[str]:
    """The event ids of ``account_id``'s records at eventTime ``moment``."""
    return [r["eventID"] for r in lab.events(account_id, visible=visible) if r["eventTime"] == moment]


def _first_visible(lab, account_id: str, moment: str) -> dict[str, int]:
    """Per record made at ``moment`` (the lab's now): how many seconds later it first became visible."""
    made = _made_at(lab, account_id, moment)
    first: dict[str, int] = {}
    for second in range(DELAY + 2):
        for event_id in _made_at(lab, account_id, moment, visible=True):
            first.setdefault(event_id, second)
        lab.advance_clock(1)
    assert set(first) == set(made), "a record was still invisible past its longest delay"
    return first


def _delivered(lab, actor, bucket: str) -> list[dict[str, Any]]:
    """Every record in the log files of ``bucket``."""
    s3 = lab.client(actor, "s3")
    records = []
    for item in s3.list_objects_v2(Bucket=bucket).get("Contents", []):
        if "/CloudTrail/" in item["Key"]:
            body = gzip.decompress(s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read())
            records += json.loads(body)["Records"]
    return records


def test_delays_are_drawn_within_the_bound() -> None:
    records = [{"eventID": f"00000000-0000-4000-8000-{index:012d}"} for index in range(200)]
    seeded = [EventDelay(DELAY, seed=7).draw(r) for r in records]
    assert seeded == [EventDelay(DELAY, seed=7).draw(r) for r in records]  # from the seed and the event id
    assert seeded != [EventDelay(DELAY, seed=8).draw(r) for r in records]
    chance = EventDelay(DELAY)
    drawn = [chance.draw(r) for r in records]
    assert all(0 <= d <= DELAY for d in seeded + drawn) and len(set(drawn)) > 100
    moment = _dt.datetime(2020, 1, 2, tzinfo=_dt.timezone.utc)
    assert EventDelay(0, seed=7).visible_at(records[0], moment) is None  # no delay: visible at once
    assert parse_args(["--state", "x"]).event_delay == 0
    assert parse_args(["--state", "x", "--event-delay", "20"]).event_delay == 20
    assert parse_args(["--state", "x", "--event-delay", "2.5"]).event_delay == 2.5
    for bad in ("-1", "soon", "nan", "inf"):
        with pytest.raises(SystemExit):
            parse_args(["--state", "x", "--event-delay", bad])


def test_clock_and_lab_json_report_the_delay(twins, lab) -> None:
    late = twins[0]
    assert late.clock()["eventDelay"] == DELAY
    assert late.advance_clock(0)["eventDelay"] == DELAY  # POST answers as GET
    assert late.document["options"]["eventDelay"] == DELAY
    assert lab.clock()["eventDelay"] == 0 and lab.document["options"]["eventDelay"] == 0


def test_lookup_events_waits_for_each_record_delay(twins) -> None:
    late = twins[0]
    _move_to([late])
    now = late.clock()["now"]
    actor = admin(late, 2)
    late.client(actor, "iam").create_user(UserName="late-user")
    record = next(r for r in late.events(late.account(2)["id"]) if r["eventName"] == "CreateUser")
    assert record["eventTime"] == now
    trail = late.client(actor, "cloudtrail")
    by_id = [{"AttributeKey": "EventId", "AttributeValue": record["eventID"]}]
    seen = []
    for _ in range(DELAY + 1):
        late.advance_clock(1)
        seen.append(bool(lookup(trail, LookupAttributes=by_id)["Events"]))
    assert seen[-1], "not visible once the clock passed eventTime + the longest delay"
    assert not seen[0], "visible a second after the call: no delay"
    first = seen.index(True)
    assert seen[first:] == [True] * (len(seen) - first), "a record, once visible, stays visible"


def test_delays_are_per_record_deterministic_and_bounded(twins) -> None:
    moment = _move_to(twins)
    now = twins[0].clock()["now"]
    firsts = []
    for late in twins:
        assert late.clock()["epoch"] == moment
        _calls(late)
        firsts.append(_first_visible(late, late.account(1)["id"], now))
    assert firsts[0] == firsts[1], "the same seed and calls gave other delays"
    assert len(firsts[0]) == 8
    assert all(1 <= second <= DELAY for second in firsts[0].values())
    assert len(set(firsts[0].values())) > 1, "every record got the same delay"


def test_events_route_visible_or_not(twins) -> None:
    late = twins[0]
    _move_to([late])
    now = late.clock()["now"]
    account = late.account(1)["id"]
    _calls(late)
    assert len(_made_at(late, account, now)) == 8
    assert _made_at(late, account, now, visible=True) == []
    late.advance_clock(DELAY + 1)
    assert _made_at(late, account, now, visible=True) == _made_at(late, account, now)
    assert late.events(visible=True) == late.events()  # all of them, every account, once nothing is pending
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{late.endpoint}/lab-api/events?visible=maybe", timeout=30)
    assert refused.value.code == 400


def test_delivery_leaves_invisible_records_pending(twins) -> None:
    late = twins[0]
    actor = admin(late, 1)
    account = late.account(1)["id"]
    late.client(actor, "s3").create_bucket(Bucket="late-trail-111")
    cloudtrail = late.client(actor, "cloudtrail")
    cloudtrail.create_trail(Name="late-trail", S3BucketName="late-trail-111", EnableLogFileValidation=True)
    cloudtrail.start_logging(Name="late-trail")
    _move_to([late])
    late.flush()  # StartLogging, now visible
    before = {r["eventID"] for r in _delivered(late, actor, "late-trail-111")}
    now = late.clock()["now"]
    _calls(late)
    made = set(_made_at(late, account, now))
    assert len(made) == 8
    late.flush()
    assert not made & {r["eventID"] for r in _delivered(late, actor, "late-trail-111")}, "delivered before visible"
    late.advance_clock(DELAY // 2)
    late.flush()
    visible = set(_made_at(late, account, now, visible=True))
    delivered = [r["eventID"] for r in _delivered(late, actor, "late-trail-111")]
    assert made & set(delivered) == visible and visible and visible != made, "delivered other than the visible ones"
    late.advance_clock(DELAY)
    assert late.flush()["logFiles"] >= 1
    delivered = [r["eventID"] for r in _delivered(late, actor, "late-trail-111")]
    assert made <= set(delivered) and len(delivered) == len(set(delivered)), "pending records lost or delivered twice"
    assert before <= set(delivered)


def test_paging_while_records_become_visible(twins) -> None:
    late = twins[0]
    _move_to([late])
    now = late.clock()["now"]
    account = late.account(2)["id"]
    actor = admin(late, 2)
    sts = late.client(actor, "sts")
    for _ in range(12):
        sts.get_caller_identity()
    made = set(_made_at(late, account, now))
    late.advance_clock(DELAY // 2)
    at_start = set(_made_at(late, account, now, visible=True))
    assert at_start and at_start != made
    trail = late.client(actor, "cloudtrail")
    moment = _dt.datetime.strptime(now, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=_dt.timezone.utc)
    seen: list[str] = []
    token = None
    while True:
        params: dict[str, Any] = {"StartTime": moment, "EndTime": moment, "MaxResults": 2}
        if token:
            params["NextToken"] = token
        answer = lookup(trail, **params)  # a token issued before more records became visible is still good
        page = [e["EventId"] for e in answer["Events"]]
        assert set(page) <= set(_made_at(late, account, now, visible=True))
        seen += page
        token = answer.get("NextToken")
        if not token:
            break
        late.advance_clock(2)  # more records become visible between pages
    assert len(seen) == len(set(seen)), "a record appeared twice in one paging run"
    assert at_start <= set(seen) <= made, "a record visible all along was skipped"


def test_no_delay_is_as_before(start_lab) -> None:
    labs = [start_lab(accounts=2, extra=CLOCKED).lab, start_lab(accounts=2, extra=[*CLOCKED, "--event-delay", "0"]).lab]
    outcomes = []
    for lab in labs:
        actor = admin(lab, 1)
        lab.client(actor, "s3").create_bucket(Bucket="punctual-111")
        cloudtrail = lab.client(actor, "cloudtrail")
        cloudtrail.create_trail(Name="punctual", S3BucketName="punctual-111", EnableLogFileValidation=True)
        cloudtrail.start_logging(Name="punctual")
        lab.advance_clock(10)
        now = lab.clock()["now"]
        _calls(lab)
        account = lab.account(1)["id"]
        made = _made_at(lab, account, now)
        assert lab.events(account, visible=True) == [r for r in lab.events(account) if r["eventTime"] < now]
        hidden = lookup(cloudtrail, MaxResults=50)["Events"]  # on a logical clock: only once the clock moves past
        assert not {e["EventId"] for e in hidden} & set(made)
        lab.flush()
        assert set(made) <= {r["eventID"] for r in _delivered(lab, actor, "punctual-111")}  # delivered at once
        lab.advance_clock(1)
        shown = lookup(cloudtrail, MaxResults=50)
        assert set(made) <= {e["EventId"] for e in shown["Events"]}
        outcomes.append((lab.clock()["eventDelay"], lab.events(), shown["Events"], _delivered(lab, actor, "punctual-111")))
    assert outcomes[0] == outcomes[1], "--event-delay 0 changed what the lab records, shows or delivers"
