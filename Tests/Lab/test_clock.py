"""A logical clock and a seed (``Scripts/lab --clock … --seed …``): runs that repeat byte for byte."""

from __future__ import annotations

import datetime as _dt
import json
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from conftest import admin, lookup

START = "2020-01-02T03:04:05Z"
START_TIME = _dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=_dt.timezone.utc)
OPTIONS = ["--clock", START, "--seed", "42", "--lookup-rate", "0", "--delivery-interval", "1", "--digest-interval", "1"]


@pytest.fixture(scope="module")
def twins(start_lab) -> tuple[Any, Any]:
    """Two labs with the same clock and seed."""
    return start_lab(accounts=3, extra=OPTIONS), start_lab(accounts=3, extra=OPTIONS)


def _clock(lab, body: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{lab.endpoint}/lab-api/clock", data=data, method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _at(text: str) -> _dt.datetime:
    return _dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=_dt.timezone.utc)


def _aware(moment: _dt.datetime) -> _dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=_dt.timezone.utc)


def _play(lab, tag: str, reverse: bool = False) -> dict[str, Any]:
    """The same calls on any lab: writes one after another, then parallel reads in either order."""
    actor = admin(lab, 1, source_ip="198.51.100.7")
    iam = lab.client(actor, "iam")
    user = iam.create_user(UserName=f"clock-{tag}")["User"]
    key = iam.create_access_key(UserName=f"clock-{tag}")["AccessKey"]
    lab.advance_clock(10)
    ec2 = lab.client(actor, "ec2", "eu-west-1")
    image = ec2.describe_images()["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]
    lab.advance_clock(10)
    reads = [
        (lab.client(actor, "iam"), "list_users", {}),
        (lab.client(actor, "iam"), "get_user", {"UserName": f"clock-{tag}"}),
        (lab.client(actor, "ec2", "us-west-2"), "describe_instances", {}),
        (lab.client(actor, "ec2", "ap-south-1"), "describe_security_groups", {}),
        (lab.client(actor, "s3"), "list_buckets", {}),
        (lab.client(actor, "iam"), "list_access_keys", {"UserName": f"clock-{tag}"}),
    ] * 3
    if reverse:
        reads.reverse()
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda r: getattr(r[0], r[1])(**r[2]), reads))
    request_ids = sorted(a["ResponseMetadata"]["RequestId"] for a in answers)
    lab.advance_clock(10)
    last_used = iam.get_access_key_last_used(AccessKeyId=lab.admin(1).access_key_id)["AccessKeyLastUsed"]
    return {"user": user, "key": key["AccessKeyId"], "instance": instance, "requestIds": request_ids, "lastUsed": last_used}


def test_clock_does_not_move_by_itself(twins) -> None:
    first, _ = twins
    lab = first.lab
    status, before = _clock(lab)
    assert status == 200 and before["logical"] is True and before["step"] == 10
    actor = admin(lab, 2)
    lab.client(actor, "sts").get_caller_identity()
    time.sleep(1.5)
    lab.client(actor, "sts").get_caller_identity()
    status, after = _clock(lab)
    assert after["now"] == before["now"]
    times = [r["eventTime"] for r in lab.events(lab.account(2)["id"]) if r["eventName"] == "GetCallerIdentity"]
    assert times[-2:] == [before["now"], before["now"]]


def test_clock_moves_as_told(twins) -> None:
    lab = twins[0].lab
    _, before = _clock(lab)
    status, after = _clock(lab, {"advance": 90})
    assert status == 200 and after["epoch"] == before["epoch"] + 90
    later = (_at(after["now"]) + _dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    status, moved = _clock(lab, {"set": later})
    assert status == 200 and moved["now"] == later
    assert _clock(lab, {"set": START})[0] == 400  # never back
    assert _clock(lab, {"advance": -1})[0] == 400
    assert _clock(lab, {"advance": 1.5})[0] == 400
    assert _clock(lab, {})[0] == 400
    assert _clock(lab)[1]["now"] == later
    twins[1].lab.advance_clock(90 + 3600)  # keep the twin in step


def test_real_clock_lab_refuses_to_move(lab) -> None:
    status, state = _clock(lab)
    assert status == 200 and state["logical"] is False
    assert abs(state["epoch"] - time.time()) < 5
    assert _clock(lab, {"advance": 10})[0] == 409


def test_event_times_and_moto_dates_follow_the_clock(twins) -> None:
    lab = twins[0].lab
    now = _at(_clock(lab)[1]["now"])
    assert now.year == 2020  # the real clock is elsewhere: signatures are still checked against it
    account = lab.account(2)["id"]
    actor = admin(lab, 2)
    iam = lab.client(actor, "iam")
    user = iam.create_user(UserName="clocked")["User"]
    assert _aware(user["CreateDate"]) == now
    key = iam.create_access_key(UserName="clocked")["AccessKey"]
    assert _aware(key["CreateDate"]) == now
    s3 = lab.client(actor, "s3")
    s3.create_bucket(Bucket="clocked-bucket-222")
    bucket = next(b for b in s3.list_buckets()["Buckets"] if b["Name"] == "clocked-bucket-222")
    assert _aware(bucket["CreationDate"]) == now
    ec2 = lab.client(actor, "ec2", "eu-west-1")
    image = ec2.describe_images()["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]
    assert _aware(instance["LaunchTime"]) == now
    guardduty = lab.client(actor, "guardduty", "eu-west-1")
    detector = guardduty.create_detector(Enable=True)["DetectorId"]
    assert guardduty.get_detector(DetectorId=detector)["CreatedAt"].startswith(now.strftime("%Y-%m-%dT%H:%M:%S"))
    role = iam.create_role(RoleName="clocked-role", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": account}, "Action": "sts:AssumeRole"}],
    }))["Role"]
    assert _aware(role["CreateDate"]) == now
    session = lab.client(actor, "sts").assume_role(RoleArn=role["Arn"], RoleSessionName="clocked", DurationSeconds=900)
    assert _aware(session["Credentials"]["Expiration"]) == now + _dt.timedelta(seconds=900)
    records = [r for r in lab.events(account) if r["eventName"] in ("CreateUser", "RunInstances", "CreateDetector")]
    assert records and {r["eventTime"] for r in records} == {now.strftime("%Y-%m-%dT%H:%M:%SZ")}
    lab.advance_clock(30)
    iam.create_user(UserName="clocked-later")
    assert lab.events(account)[-1]["eventTime"] == (now + _dt.timedelta(seconds=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    twins[1].lab.advance_clock(30)


def test_last_used_shows_once_the_clock_moves(twins) -> None:
    lab = twins[0].lab
    actor = admin(lab, 2)
    iam = lab.client(actor, "iam")
    mine = lab.admin(2).access_key_id
    lab.advance_clock(5)
    now = _at(_clock(lab)[1]["now"])
    lab.client(actor, "ec2", "ap-southeast-2").describe_instances()
    seen = iam.get_access_key_last_used(AccessKeyId=mine)["AccessKeyLastUsed"]
    assert "LastUsedDate" not in seen or _aware(seen["LastUsedDate"]) < now  # not yet: the clock stood still
    lab.advance_clock(1)
    seen = iam.get_access_key_last_used(AccessKeyId=mine)["AccessKeyLastUsed"]
    assert _aware(seen["LastUsedDate"]) == now
    assert (seen["ServiceName"], seen["Region"]) == ("iam", "us-east-1")  # of the calls at that time, the last in (service, region) order
    twins[1].lab.advance_clock(6)


def test_no_background_delivery_on_a_logical_clock(twins) -> None:
    lab = twins[0].lab
    actor = admin(lab, 1)
    s3 = lab.client(actor, "s3")
    s3.create_bucket(Bucket="clock-trail-111")
    trail = lab.client(actor, "cloudtrail")
    trail.create_trail(Name="clock-trail", S3BucketName="clock-trail-111", EnableLogFileValidation=True)
    trail.start_logging(Name="clock-trail")
    lab.client(actor, "iam").list_users()
    time.sleep(2.5)  # two delivery intervals of this lab
    assert s3.list_objects_v2(Bucket="clock-trail-111").get("KeyCount", 0) == 0
    assert lab.flush()["logFiles"] >= 1
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="clock-trail-111")["Contents"]]
    stamp = _at(_clock(lab)[1]["now"]).strftime("%Y%m%dT%H%M")
    assert keys and all(stamp in key for key in keys)
    twin = twins[1].lab
    twin_actor = admin(twin, 1)
    twin.client(twin_actor, "s3").create_bucket(Bucket="clock-trail-111")
    twin_trail = twin.client(twin_actor, "cloudtrail")
    twin_trail.create_trail(Name="clock-trail", S3BucketName="clock-trail-111", EnableLogFileValidation=True)
    twin_trail.start_logging(Name="clock-trail")
    twin.client(twin_actor, "iam").list_users()
    twin.flush()
    twin_keys = [o["Key"] for o in twin.client(twin_actor, "s3").list_objects_v2(Bucket="clock-trail-111")["Contents"]]
    assert twin_keys == keys  # file names, random parts included, repeat under the seed
    for key in keys:
        mine = s3.get_object(Bucket="clock-trail-111", Key=key)
        theirs = twin.client(twin_actor, "s3").get_object(Bucket="clock-trail-111", Key=key)
        assert mine["Body"].read() == theirs["Body"].read()
        assert mine["Metadata"] == theirs["Metadata"]  # digest signatures included


def test_the_same_calls_give_the_same_records(twins) -> None:
    first, second = (process.lab for process in twins)
    assert _clock(first)[1]["now"] == _clock(second)[1]["now"]
    one = _play(first, "twin")
    two = _play(second, "twin", reverse=True)  # parallel reads arriving in the opposite order
    assert one["user"]["UserId"] == two["user"]["UserId"] and one["user"]["UserId"].startswith("AIDA")
    assert one["key"] == two["key"]
    assert one["instance"]["InstanceId"] == two["instance"]["InstanceId"]
    assert one["instance"]["NetworkInterfaces"][0]["NetworkInterfaceId"] == two["instance"]["NetworkInterfaces"][0]["NetworkInterfaceId"]
    assert one["requestIds"] == two["requestIds"]  # moto answers with the lab's derived request ids
    assert one["lastUsed"] == two["lastUsed"]
    account = first.account(1)["id"]
    mine, theirs = (sorted(json.dumps(r, sort_keys=True) for r in lab.events(account)) for lab in (first, second))
    assert mine and len(mine) == len(theirs)
    for one_record, two_record in zip(mine, theirs):
        at = next((i for i, (p, q) in enumerate(zip(one_record, two_record)) if p != q), 0)
        assert one_record == two_record, (one_record[max(0, at - 200) : at + 100], two_record[max(0, at - 200) : at + 100])
    pages = []
    for lab in (first, second):
        client = lab.client(admin(lab, 1), "cloudtrail")
        answer = lookup(client, StartTime=START_TIME, EndTime=START_TIME + _dt.timedelta(days=1), MaxResults=7)
        pages.append((answer["Events"], answer["NextToken"]))
        lab.advance_clock(1)
    assert pages[0] == pages[1]  # the same order, the same NextToken, whatever order the reads arrived in
    ids = [e["EventId"] for e in pages[0][0]]
    assert len(set(ids)) == len(ids)


def test_ids_differ_with_another_seed(start_lab) -> None:
    other = start_lab(accounts=3, extra=["--clock", START, "--seed", "43"]).lab
    assert other.document["options"]["seed"] == 43
    user = other.client(admin(other, 1), "iam").create_user(UserName="clock-twin")["User"]
    assert user["CreateDate"].year == 2020
    record = other.events(other.account(1)["id"])[-1]
    assert record["eventTime"] == START
    assert record["eventID"] != record["requestID"]
