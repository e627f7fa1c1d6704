"""An organization trail: every account's records under the Organization's prefix, in a logging account's bucket."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import ORG_TRAIL, ORG_TRAIL_HOME, recorded, requires_openssl


@pytest.fixture(scope="module")
def delivered(org_lab):
    lab = org_lab["lab"]
    lab.flush()  # other modules' calls on this lab may be delivered but not yet in a digest
    s3 = lab.client(org_lab["logging"], "s3", ORG_TRAIL_HOME)
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=org_lab["bucket"])
    keys = [o["Key"] for page in pages for o in page.get("Contents", [])]
    return {**org_lab, "s3": s3, "keys": keys}


def _body(delivered, key: str) -> bytes:
    return gzip.decompress(delivered["s3"].get_object(Bucket=delivered["bucket"], Key=key)["Body"].read())


def _logs(delivered) -> list[str]:
    return [k for k in delivered["keys"] if "/CloudTrail/" in k]


def _digests(delivered) -> list[str]:
    return [k for k in delivered["keys"] if "/CloudTrail-Digest/" in k]


def test_log_files_of_every_account_are_under_the_organization_prefix(delivered) -> None:
    organization = delivered["organization_id"]
    pattern = re.compile(
        rf"^AWSLogs/{organization}/(?P<account>\d{{12}})/CloudTrail/(?P<region>[a-z0-9-]+)/\d{{4}}/\d\d/\d\d/"
        rf"(?P=account)_CloudTrail_(?P=region)_\d{{8}}T\d{{4}}Z_[A-Za-z0-9]{{16}}\.json\.gz$"
    )
    accounts = set()
    for key in _logs(delivered):
        match = pattern.match(key)
        assert match, key
        accounts.add(match["account"])
        for record in json.loads(_body(delivered, key))["Records"]:
            assert record["recipientAccountId"] == match["account"]
            assert record["awsRegion"] == match["region"]
    management, member, _ = delivered["accounts"]
    assert {management, member} <= accounts


def test_every_record_of_the_members_since_logging_started_is_delivered(delivered) -> None:
    in_files = {r["eventID"] for key in _logs(delivered) for r in json.loads(_body(delivered, key))["Records"]}
    member = delivered["accounts"][1]
    records = [r for r in recorded(delivered["process"]) if r["recipientAccountId"] == member]
    key_records = [r for r in records if r["userIdentity"].get("accessKeyId") == delivered["subject_key"]]
    assert len(key_records) == 6
    assert {r["eventID"] for r in key_records} <= in_files
    assert {r["awsRegion"] for r in key_records} == {"us-east-1", "eu-west-1"}


def test_the_trail_is_an_organization_trail_of_the_management_account(delivered) -> None:
    cloudtrail = delivered["lab"].client(delivered["management"], "cloudtrail", ORG_TRAIL_HOME)
    trail = cloudtrail.describe_trails(trailNameList=[ORG_TRAIL])["trailList"][0]
    assert trail["IsOrganizationTrail"] is True
    assert trail["S3BucketName"] == delivered["bucket"]


def test_digests_are_per_account_under_the_organization_prefix_and_cover_every_log_file(delivered) -> None:
    organization = delivered["organization_id"]
    pattern = re.compile(
        rf"^AWSLogs/{organization}/(?P<account>\d{{12}})/CloudTrail-Digest/(?P<region>[a-z0-9-]+)/\d{{4}}/\d\d/\d\d/"
        rf"(?P=account)_CloudTrail-Digest_(?P=region)_{ORG_TRAIL}_{ORG_TRAIL_HOME}_\d{{8}}T\d{{6}}Z\.json\.gz$"
    )
    listed = set()
    for key in _digests(delivered):
        match = pattern.match(key)
        assert match, key
        digest = json.loads(_body(delivered, key))
        assert digest["awsAccountId"] == match["account"]
        assert digest["digestS3Bucket"] == delivered["bucket"] and digest["digestS3Object"] == key
        for log in digest["logFiles"]:
            assert log["s3Object"].startswith(f"AWSLogs/{organization}/{match['account']}/CloudTrail/{match['region']}/")
            assert log["hashValue"] == hashlib.sha256(_body(delivered, log["s3Object"])).hexdigest()
            listed.add(log["s3Object"])
    assert listed == set(_logs(delivered))


def test_each_account_and_region_has_its_own_digest_chain(delivered) -> None:
    chains: dict[tuple[str, str], list[str]] = {}
    for key in sorted(_digests(delivered)):
        account, _, region = key.split("/")[2:5]
        chains.setdefault((account, region), []).append(key)
    assert (delivered["accounts"][1], "eu-west-1") in chains
    for keys in chains.values():
        previous = None
        for key in keys:
            digest = json.loads(_body(delivered, key))
            if previous is None:
                assert digest["previousDigestSignature"] is None
            else:
                head = delivered["s3"].head_object(Bucket=delivered["bucket"], Key=previous)
                assert digest["previousDigestS3Object"] == previous
                assert digest["previousDigestSignature"] == head["Metadata"]["signature"]
                assert digest["previousDigestHashValue"] == hashlib.sha256(_body(delivered, previous)).hexdigest()
            previous = key


@requires_openssl
def test_digest_signatures_verify_with_the_published_key(delivered, tmp_path: Path) -> None:
    cloudtrail = delivered["lab"].client(delivered["management"], "cloudtrail", ORG_TRAIL_HOME)
    public = cloudtrail.list_public_keys()["PublicKeyList"][0]
    (tmp_path / "key.der").write_bytes(public["Value"])
    subprocess.run(
        ["openssl", "rsa", "-RSAPublicKey_in", "-inform", "DER", "-in", "key.der", "-pubout", "-out", "key.pem"],
        cwd=tmp_path, check=True, capture_output=True,
    )
    digests = _digests(delivered)
    assert digests
    for key in digests:
        raw = _body(delivered, key)
        digest = json.loads(raw)
        signature = delivered["s3"].head_object(Bucket=delivered["bucket"], Key=key)["Metadata"]["signature"]
        signed = f"{digest['digestEndTime']}\n{delivered['bucket']}/{key}\n{hashlib.sha256(raw).hexdigest()}\n{digest['previousDigestSignature'] or 'null'}"
        (tmp_path / "signed.txt").write_text(signed)
        (tmp_path / "signature.bin").write_bytes(bytes.fromhex(signature))
        verified = subprocess.run(
            ["openssl", "dgst", "-sha256", "-verify", "key.pem", "-signature", "signature.bin", "signed.txt"],
            cwd=tmp_path, capture_output=True, text=True,
        )
        assert verified.returncode == 0 and "Verified OK" in verified.stdout, key


def test_the_organization_trail_option_starts_a_lab_with_one(start_lab) -> None:
    from conftest import admin

    process = start_lab(accounts=3, extra=["--organization-trail"])
    lab = process.lab
    made = lab.document["options"]["organizationTrail"]
    management, member, logging_account = (a["id"] for a in lab.accounts)
    assert made["loggingAccount"] == logging_account
    trail = lab.client(admin(lab, 0), "cloudtrail").describe_trails()["trailList"][0]
    assert trail["TrailARN"] == made["arn"] and trail["IsOrganizationTrail"] is True and trail["LogFileValidationEnabled"] is True
    lab.client(admin(lab, 1), "iam").list_users()
    lab.flush()
    s3 = lab.client(admin(lab, 2), "s3")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=made["bucket"])["Contents"]]
    organization = lab.client(admin(lab, 0), "organizations").describe_organization()["Organization"]["Id"]
    assert made["logPrefix"] == f"AWSLogs/{organization}/"
    assert any(k.startswith(f"AWSLogs/{organization}/{member}/CloudTrail/us-east-1/") for k in keys)
    assert any(k.startswith(f"AWSLogs/{organization}/{member}/CloudTrail-Digest/us-east-1/") for k in keys)
    assert all(k.startswith(made["logPrefix"]) for k in keys)


def test_a_member_account_sees_the_organization_trail_as_aws_shows_it(delivered) -> None:
    cloudtrail = delivered["lab"].client(delivered["member"], "cloudtrail", "eu-west-1")
    trails = cloudtrail.describe_trails()["trailList"]
    assert [t["TrailARN"] for t in trails] == [delivered["trail_arn"]]
    assert trails[0]["IsOrganizationTrail"] is True and trails[0]["S3BucketName"] == delivered["bucket"]
    assert cloudtrail.get_trail_status(Name=delivered["trail_arn"])["IsLogging"] is True
    assert cloudtrail.describe_trails(includeShadowTrails=False)["trailList"] == []
