"""CloudTrail LookupEvents as AWS answers it: filters, time window, pages, throttling."""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid

import pytest
from botocore.exceptions import ClientError
from conftest import admin, lookup
from custodylab.client import Actor, Credentials

#: The lab account these tests write to and look up in.
ACCOUNT = 3
REGION = "us-east-1"


@pytest.fixture(scope="module")
def history(lab):
    """A user in account 3 who made a known set of calls; the events to look up."""
    boss = admin(lab, ACCOUNT)
    iam = lab.client(boss, "iam")
    name = f"lookup-{uuid.uuid4().hex[:6]}"
    iam.create_user(UserName=name)
    iam.attach_user_policy(UserName=name, PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    key = Credentials.from_response(iam.create_access_key(UserName=name))
    started = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)
    actor = Actor(name, key, source_ip="203.0.113.50")
    for index in range(7):
        lab.client(actor, "iam").get_user(UserName=name)
    lab.client(actor, "iam").create_group(GroupName=f"{name}-group")
    return {"name": name, "key": key, "actor": actor, "started": started, "trail": lab.client(boss, "cloudtrail", REGION, retries=0)}


def test_lookup_by_access_key_returns_records_newest_first(history) -> None:
    answer = lookup(history["trail"], LookupAttributes=[{"AttributeKey": "AccessKeyId", "AttributeValue": history["key"].access_key_id}])
    events = answer["Events"]
    assert [e["EventName"] for e in events] == ["CreateGroup"] + ["GetUser"] * 7
    times = [e["EventTime"] for e in events]
    assert times == sorted(times, reverse=True)
    first = events[0]
    assert first["EventSource"] == "iam.amazonaws.com"
    assert first["Username"] == history["name"]
    assert first["ReadOnly"] == "false"
    assert first["AccessKeyId"] == history["key"].access_key_id
    assert {"ResourceType": "AWS::IAM::Group", "ResourceName": f"{history['name']}-group"} in first["Resources"]
    record = json.loads(first["CloudTrailEvent"])
    assert record["eventID"] == first["EventId"]
    assert record["userIdentity"]["userName"] == history["name"]


@pytest.mark.parametrize(
    "key, value, expected",
    [
        ("EventName", "CreateGroup", 1),
        ("Username", "{name}", 8),
        ("ReadOnly", "true", None),
        ("EventSource", "iam.amazonaws.com", None),
        ("ResourceName", "{name}", 7),
        ("ResourceType", "AWS::IAM::User", None),
    ],
)
def test_lookup_attributes(history, key: str, value: str, expected: int | None) -> None:
    wanted = value.format(name=history["name"])
    answer = lookup(
        history["trail"],
        LookupAttributes=[{"AttributeKey": key, "AttributeValue": wanted}],
        StartTime=history["started"],
        MaxResults=50,
    )
    events = answer["Events"]
    assert events, f"nothing found for {key}={wanted}"
    for event in events:
        record = json.loads(event["CloudTrailEvent"])
        if key == "EventName":
            assert record["eventName"] == wanted
        elif key == "Username":
            assert event["Username"] == wanted
        elif key == "ReadOnly":
            assert record["readOnly"] is True
        elif key == "EventSource":
            assert record["eventSource"] == wanted
        elif key == "ResourceName":
            assert wanted in [r["ResourceName"] for r in event["Resources"]]
        elif key == "ResourceType":
            assert wanted in [r["ResourceType"] for r in event["Resources"]]
    mine = [e for e in events if e.get("Username") == history["name"]]
    if expected is not None:
        assert len(mine) == expected


def test_lookup_by_event_id(history) -> None:
    newest = lookup(history["trail"], MaxResults=1)["Events"][0]
    answer = lookup(history["trail"], LookupAttributes=[{"AttributeKey": "EventId", "AttributeValue": newest["EventId"]}])
    assert [e["EventId"] for e in answer["Events"]] == [newest["EventId"]]


def test_pagination_covers_every_event_once(history) -> None:
    attribute = [{"AttributeKey": "AccessKeyId", "AttributeValue": history["key"].access_key_id}]
    seen: list[str] = []
    token = None
    pages = 0
    while True:
        params = {"LookupAttributes": attribute, "MaxResults": 3}
        if token:
            params["NextToken"] = token
        answer = lookup(history["trail"], **params)
        pages += 1
        assert len(answer["Events"]) <= 3
        seen += [e["EventId"] for e in answer["Events"]]
        token = answer.get("NextToken")
        if not token:
            break
    assert pages == 3
    assert len(seen) == len(set(seen)) == 8


def test_paginator_matches_one_big_page(lab, history) -> None:
    attribute = [{"AttributeKey": "Username", "AttributeValue": history["name"]}]
    # botocore's retries wait out the throttle, as they would against AWS.
    patient = lab.client(admin(lab, ACCOUNT), "cloudtrail", REGION, retries=8)
    paged = []
    for page in patient.get_paginator("lookup_events").paginate(LookupAttributes=attribute, PaginationConfig={"PageSize": 2}):
        paged += [e["EventId"] for e in page["Events"]]
    whole = [e["EventId"] for e in lookup(history["trail"], LookupAttributes=attribute, MaxResults=50)["Events"]]
    assert paged == whole


def test_time_window(history) -> None:
    future = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)
    assert lookup(history["trail"], StartTime=future, EndTime=future + dt.timedelta(hours=1))["Events"] == []
    before = history["started"] - dt.timedelta(days=1)
    assert lookup(history["trail"], StartTime=before - dt.timedelta(days=1), EndTime=before)["Events"] == []


def test_other_regions_and_accounts_are_separate(lab, history) -> None:
    elsewhere = lab.client(admin(lab, ACCOUNT), "cloudtrail", "ap-northeast-1", retries=0)
    attribute = [{"AttributeKey": "AccessKeyId", "AttributeValue": history["key"].access_key_id}]
    assert lookup(elsewhere, LookupAttributes=attribute)["Events"] == []
    other_account = lab.client(admin(lab, 2), "cloudtrail", REGION, retries=0)
    assert lookup(other_account, LookupAttributes=attribute)["Events"] == []


@pytest.mark.parametrize(
    "params, code",
    [
        ({"MaxResults": 51}, "InvalidMaxResultsException"),
        ({"LookupAttributes": [{"AttributeKey": "Colour", "AttributeValue": "red"}]}, "InvalidLookupAttributesException"),
        (
            {
                "LookupAttributes": [
                    {"AttributeKey": "EventName", "AttributeValue": "GetUser"},
                    {"AttributeKey": "Username", "AttributeValue": "x"},
                ]
            },
            "InvalidLookupAttributesException",
        ),
        ({"NextToken": "not-a-token"}, "InvalidNextTokenException"),
        (
            {"StartTime": dt.datetime(2030, 1, 2, tzinfo=dt.timezone.utc), "EndTime": dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)},
            "InvalidTimeRangeException",
        ),
    ],
)
def test_invalid_requests(history, params: dict, code: str) -> None:
    with pytest.raises(ClientError) as refused:
        for _ in range(20):
            try:
                history["trail"].lookup_events(**params)
            except ClientError as error:
                if error.response["Error"]["Code"] == "ThrottlingException":
                    time.sleep(0.3)
                    continue
                raise
    assert refused.value.response["Error"]["Code"] == code


def test_throttling_above_two_per_second(lab) -> None:
    trail = lab.client(admin(lab, ACCOUNT), "cloudtrail", "eu-north-1", retries=0)
    time.sleep(1.1)
    outcomes = []
    for _ in range(4):
        try:
            trail.lookup_events(MaxResults=1)
            outcomes.append("ok")
        except ClientError as error:
            outcomes.append(error.response["Error"]["Code"])
            assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
            assert error.response["Error"]["Message"] == "Rate exceeded"
    assert outcomes[:2] == ["ok", "ok"]
    assert "ThrottlingException" in outcomes[2:]
    # Another region of the same account has its own allowance.
    lab.client(admin(lab, ACCOUNT), "cloudtrail", "eu-south-1", retries=0).lookup_events(MaxResults=1)
    time.sleep(1.1)
    trail.lookup_events(MaxResults=1)


def test_lookup_events_is_itself_recorded(lab) -> None:
    account = lab.account(ACCOUNT)["id"]
    assert any(r["eventName"] == "LookupEvents" and r["eventSource"] == "cloudtrail.amazonaws.com" for r in lab.events(account))
