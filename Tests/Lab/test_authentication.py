"""SigV4 as AWS checks it: the official test suite, then the lab refusing what AWS refuses."""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote
from unittest import mock

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials as BotoCredentials
from conftest import admin, events_named
from custodylab import sigv4, timefmt
from custodylab.client import Credentials

SUITE = Path(__file__).parent / "fixtures" / "aws4_testsuite"
SUITE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#: Cases botocore (the reference) does not reproduce either: a request line
#: with a space, multi-line header values, and repeated query keys, which
#: its canonical query string orders differently from the suite. And
#: ``get-utf8``, whose canonical path encodes the decoded path once, while a
#: request arrives percent-encoded and AWS encodes that again.
SUITE_SKIPPED = {
    "get-space",
    "get-utf8",
    "get-header-value-multiline",
    "get-vanilla-query-order-key",
    "get-vanilla-query-order-key-case",
    "get-vanilla-query-order-value",
}


def _suite_cases() -> list[Path]:
    return sorted(p for p in SUITE.rglob("*.sreq") if p.stem not in SUITE_SKIPPED)


def _parse_req(path: Path) -> sigv4.RawRequest:
    head, _, body = path.read_text().partition("\n\n")
    lines = head.split("\n")
    method, _, rest = lines[0].partition(" ")
    # The suite writes UTF-8 in the request line; on the wire a client percent-encodes it.
    target = quote(rest.rsplit(" ", 1)[0], safe="".join(chr(c) for c in range(33, 127)))
    raw_path, _, raw_query = target.partition("?")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip().lower(), value))
    host = next(v for k, v in headers if k == "host")
    return sigv4.RawRequest(method, host, raw_path, raw_query, headers, body.encode())


@pytest.mark.parametrize("case", _suite_cases(), ids=lambda p: p.stem)
def test_official_suite_signatures(case: Path) -> None:
    request = _parse_req(case)
    auth = sigv4.parse_authorization(case.with_suffix(".authz").read_text().strip())
    assert sigv4.expected_signature(auth, SUITE_SECRET, request, request.header("x-amz-date")) == auth.signature


# Requests on the wire ---------------------------------------------------------


def send(
    lab,
    creds: Credentials | None,
    service: str,
    region: str,
    method: str = "POST",
    path: str = "/",
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    when: dt.datetime | None = None,
    tamper=None,
) -> tuple[int, str]:
    """Sign a raw request with botocore, optionally tamper with it, send it; (status, body)."""
    url = lab.endpoint + path
    request = AWSRequest(method=method, url=url, data=body, headers=dict(headers or {}))
    if creds is not None:
        signer = SigV4Auth(BotoCredentials(creds.access_key_id, creds.secret_access_key, creds.session_token), service, region)
        with mock.patch("botocore.auth.get_current_datetime", return_value=(when or dt.datetime.now(dt.timezone.utc)).replace(tzinfo=None)):
            signer.add_auth(request)
    prepared = request.prepare()
    data = prepared.body if isinstance(prepared.body, bytes) else (prepared.body or "").encode()
    sent_headers = dict(prepared.headers)
    if tamper:
        data, sent_headers = tamper(data, sent_headers)
    outgoing = urllib.request.Request(prepared.url, data=data if method != "GET" else None, method=method, headers=sent_headers)
    try:
        with urllib.request.urlopen(outgoing, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
LIST_USERS = b"Action=ListUsers&Version=2010-05-08"


def test_signed_query_over_get_with_empty_body_is_accepted(lab) -> None:
    status, body = send(lab, lab.admin(1), "iam", "us-east-1", "GET", "/?Action=ListUsers&Version=2010-05-08")
    assert status == 200, body
    assert "<ListUsersResult>" in body


def test_signed_guardduty_rest_get_is_accepted(lab) -> None:
    status, body = send(lab, lab.admin(1), "guardduty", "eu-west-2", "GET", "/detector")
    assert status == 200, body
    assert json.loads(body)["detectorIds"] == []


def test_signed_post_is_accepted(lab) -> None:
    status, body = send(lab, lab.admin(1), "iam", "us-east-1", body=LIST_USERS, headers=FORM)
    assert status == 200, body


def test_wrong_secret_is_refused(lab) -> None:
    creds = lab.admin(1)
    wrong = Credentials(creds.access_key_id, "x" * 40)
    status, body = send(lab, wrong, "iam", "us-east-1", body=LIST_USERS, headers=FORM)
    assert status == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in body


def test_body_changed_after_signing_is_refused(lab) -> None:
    def swap(data: bytes, headers: dict[str, str]):
        changed = b"Action=ListRoles&Version=2010-05-08"
        return changed, {**headers, "Content-Length": str(len(changed))}

    status, body = send(lab, lab.admin(1), "iam", "us-east-1", body=LIST_USERS, headers=FORM, tamper=swap)
    assert status == 403
    assert "SignatureDoesNotMatch" in body


@pytest.mark.parametrize("minutes, phrase", [(-20, "Signature expired"), (20, "Signature not yet current")])
def test_skewed_request_time_is_refused(lab, minutes: int, phrase: str) -> None:
    when = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=minutes)
    status, body = send(lab, lab.admin(1), "iam", "us-east-1", body=LIST_USERS, headers=FORM, when=when)
    assert status == 403
    assert phrase in body


def test_small_clock_difference_is_accepted(lab) -> None:
    when = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=10)
    status, body = send(lab, lab.admin(1), "iam", "us-east-1", body=LIST_USERS, headers=FORM, when=when)
    assert status == 200, body


@pytest.mark.parametrize(
    "service, region, body, expected",
    [
        ("iam", "eu-west-1", LIST_USERS, "valid region"),
        ("ec2", "moon-east-1", b"Action=DescribeRegions&Version=2016-11-15", "valid region"),
        ("sts", "us-east-1", LIST_USERS, "correct service: 'iam'"),
    ],
)
def test_wrong_credential_scope_is_refused(lab, service: str, region: str, body: bytes, expected: str) -> None:
    status, answer = send(lab, lab.admin(1), service, region, body=body, headers=FORM)
    assert status in (400, 401, 403)
    assert expected in answer


def test_unsigned_request_is_refused(lab) -> None:
    status, body = send(lab, None, "iam", "us-east-1", body=LIST_USERS, headers=FORM)
    assert status == 403
    assert "MissingAuthenticationToken" in body


def test_unknown_key_is_refused(lab) -> None:
    status, body = send(lab, Credentials("AKIAAAAAAAAAAAAAAAAA", "y" * 40), "iam", "us-east-1", body=LIST_USERS, headers=FORM)
    assert status == 403
    assert "InvalidClientTokenId" in body


def test_moto_api_is_closed(lab) -> None:
    request = urllib.request.Request(f"{lab.endpoint}/moto-api/reset", data=b"", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403


def _user_with_key(lab, name: str) -> tuple[Credentials, str]:
    iam = lab.client(admin(lab, 1), "iam")
    iam.create_user(UserName=name)
    iam.attach_user_policy(UserName=name, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    return Credentials.from_response(iam.create_access_key(UserName=name)), lab.account(1)["id"]


def test_disabled_key_is_refused_and_the_attempt_recorded(lab) -> None:
    name = f"disabled-{uuid.uuid4().hex[:6]}"
    creds, account = _user_with_key(lab, name)
    assert send(lab, creds, "iam", "us-east-1", body=LIST_USERS, headers=FORM)[0] == 200
    lab.client(admin(lab, 1), "iam").update_access_key(UserName=name, AccessKeyId=creds.access_key_id, Status="Inactive")
    status, body = send(lab, creds, "iam", "us-east-1", body=LIST_USERS, headers=FORM)
    assert status == 403
    assert "InvalidClientTokenId" in body
    attempts = [r for r in events_named(lab, account, "ListUsers") if r["userIdentity"].get("accessKeyId") == creds.access_key_id]
    assert [r.get("errorCode") for r in attempts] == [None, "InvalidClientTokenId"]
    lab.client(admin(lab, 1), "iam").update_access_key(UserName=name, AccessKeyId=creds.access_key_id, Status="Active")
    assert send(lab, creds, "iam", "us-east-1", body=LIST_USERS, headers=FORM)[0] == 200


def test_deleted_key_is_refused_and_not_recorded(lab) -> None:
    name = f"deleted-{uuid.uuid4().hex[:6]}"
    creds, account = _user_with_key(lab, name)
    lab.client(admin(lab, 1), "iam").delete_access_key(UserName=name, AccessKeyId=creds.access_key_id)
    status, body = send(lab, creds, "iam", "us-east-1", body=LIST_USERS, headers=FORM)
    assert status == 403
    assert "InvalidClientTokenId" in body
    assert not [r for r in lab.events(account) if r["userIdentity"].get("accessKeyId") == creds.access_key_id]


def test_session_credentials_need_their_token(lab) -> None:
    sts = lab.client(admin(lab, 0), "sts")
    role = f"arn:aws:iam::{lab.account(1)['id']}:role/OrganizationAccountAccessRole"
    session = Credentials.from_response(sts.assume_role(RoleArn=role, RoleSessionName="token-check"))
    call = dict(service="sts", region="us-east-1", body=b"Action=GetCallerIdentity&Version=2011-06-15", headers=FORM)
    assert send(lab, session, **call)[0] == 200
    without = Credentials(session.access_key_id, session.secret_access_key)
    assert "InvalidClientTokenId" in send(lab, without, **call)[1]
    forged = Credentials(session.access_key_id, session.secret_access_key, "forged-token")
    assert "InvalidClientTokenId" in send(lab, forged, **call)[1]


def test_s3_request_signed_for_another_region_names_the_right_one(lab) -> None:
    bucket = f"region-check-{uuid.uuid4().hex[:8]}"
    lab.client(admin(lab, 1), "s3", "eu-west-1").create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    headers = {"x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}
    status, body = send(lab, lab.admin(1), "s3", "us-east-1", "GET", f"/{bucket}?list-type=2", headers=headers)
    assert status == 400
    assert "AuthorizationHeaderMalformed" in body and "<Region>eu-west-1</Region>" in body
    # botocore follows the hint, as it does against AWS.
    listed = lab.client(admin(lab, 1), "s3", "us-east-1").list_objects_v2(Bucket=bucket)
    assert listed["KeyCount"] == 0


def test_time_helpers_round_trip() -> None:
    moment = timefmt.utcnow()
    assert timefmt.parse_amz_date(timefmt.amz_date(moment)) == moment
    assert timefmt.parse_iso_z(timefmt.iso_z(moment)) == moment
    assert timefmt.iam_response_date(dt.datetime(2024, 7, 30, 21, 53, 13, tzinfo=dt.timezone.utc)) == "Jul 30, 2024 9:53:13 PM"
    assert timefmt.sts_response_date(dt.datetime(2024, 11, 30, 8, 43, 17, tzinfo=dt.timezone.utc)) == "Nov 30, 2024, 8:43:17 AM"


def test_expired_session_is_refused_and_recordable() -> None:
    from custodylab.app import LabApp
    from custodylab.errors import LabError
    from custodylab.principals import Principal

    now = timefmt.utcnow()
    expired = Principal(
        type="AssumedRole",
        account_id="222222222222",
        access_key_id="ASIAEXAMPLEEXAMPLE00",
        arn="arn:aws:sts::222222222222:assumed-role/r/s",
        principal_id="AROAEXAMPLE:s",
        secret="s" * 40,
        token="t",
        expiration=now - dt.timedelta(seconds=1),
    )
    with pytest.raises(LabError) as refused:
        LabApp._check_usable(expired, now)
    assert refused.value.resolved("query") == ("ExpiredToken", 403)
    assert refused.value.recordable
    assert "s" * 40 not in repr(expired) and "'t'" not in repr(expired)
