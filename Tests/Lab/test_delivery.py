"""Log and digest files delivered to a trail's bucket, checked with AWS's rules and tools."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import subprocess
import uuid
from pathlib import Path

import pytest
from conftest import admin, clean_environment, requires_aws_cli, requires_openssl

ACCOUNT = 2
HOME = "us-west-2"
PREFIX = "custody"
TRAIL = "audit-trail"


@pytest.fixture(scope="module")
def trail(lab):
    """A multi-region trail with validation in account 2, two rounds of calls, then StopLogging."""
    account = lab.account(ACCOUNT)["id"]
    boss = admin(lab, ACCOUNT)
    bucket = f"trail-{uuid.uuid4().hex[:10]}"
    lab.client(boss, "s3", HOME).create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": HOME})
    cloudtrail = lab.client(boss, "cloudtrail", HOME)
    arn = cloudtrail.create_trail(
        Name=TRAIL, S3BucketName=bucket, S3KeyPrefix=PREFIX, IsMultiRegionTrail=True, EnableLogFileValidation=True
    )["TrailARN"]
    cloudtrail.start_logging(Name=TRAIL)
    iam = lab.client(boss, "iam")
    first = f"delivered-{uuid.uuid4().hex[:6]}"
    iam.create_user(UserName=first)
    lab.client(boss, "ec2", HOME).describe_vpcs()
    lab.flush()
    second = f"delivered-{uuid.uuid4().hex[:6]}"
    iam.create_user(UserName=second)
    lab.flush()
    cloudtrail.stop_logging(Name=TRAIL)
    after = f"undelivered-{uuid.uuid4().hex[:6]}"
    iam.create_user(UserName=after)
    lab.flush()
    s3 = lab.client(boss, "s3", HOME)
    keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket) for o in page.get("Contents", [])]
    return {
        "account": account,
        "bucket": bucket,
        "arn": arn,
        "s3": s3,
        "keys": keys,
        "users": (first, second, after),
        "cloudtrail": cloudtrail,
    }


def _body(trail, key: str) -> bytes:
    return gzip.decompress(trail["s3"].get_object(Bucket=trail["bucket"], Key=key)["Body"].read())


def _logs(trail) -> list[str]:
    return [k for k in trail["keys"] if "/CloudTrail/" in k]


def _digests(trail) -> list[str]:
    return [k for k in trail["keys"] if "/CloudTrail-Digest/" in k]


def test_log_file_keys_follow_cloudtrail_layout(trail) -> None:
    account = trail["account"]
    pattern = re.compile(
        rf"^{PREFIX}/AWSLogs/{account}/CloudTrail/(?P<region>[a-z0-9-]+)/\d{{4}}/\d\d/\d\d/"
        rf"{account}_CloudTrail_(?P=region)_\d{{8}}T\d{{4}}Z_[A-Za-z0-9]{{16}}\.json\.gz$"
    )
    logs = _logs(trail)
    assert logs
    for key in logs:
        assert pattern.match(key), key
    regions = {pattern.match(k).group("region") for k in logs}
    assert {"us-east-1", HOME} <= regions


def test_log_files_hold_the_records_as_gzip_json(trail) -> None:
    records = []
    for key in _logs(trail):
        head = trail["s3"].head_object(Bucket=trail["bucket"], Key=key)
        assert head["ContentType"] == "application/json"
        assert head["ContentEncoding"] == "gzip"
        document = json.loads(_body(trail, key))
        assert list(document) == ["Records"]
        records += document["Records"]
    created = [r["requestParameters"]["userName"] for r in records if r["eventName"] == "CreateUser"]
    first, second, after = trail["users"]
    assert first in created and second in created
    assert after not in created, "a call made after StopLogging was delivered"
    assert any(r["eventName"] == "StopLogging" for r in records), "StopLogging itself must be delivered"
    assert any(r["eventName"] == "DescribeVpcs" and r["awsRegion"] == HOME for r in records)


def test_digest_keys_metadata_and_fields(trail) -> None:
    account = trail["account"]
    pattern = re.compile(
        rf"^{PREFIX}/AWSLogs/{account}/CloudTrail-Digest/(?P<region>[a-z0-9-]+)/\d{{4}}/\d\d/\d\d/"
        rf"{account}_CloudTrail-Digest_(?P=region)_{TRAIL}_{HOME}_\d{{8}}T\d{{6}}Z\.json\.gz$"
    )
    digests = _digests(trail)
    assert digests
    for key in digests:
        assert pattern.match(key), key
        head = trail["s3"].head_object(Bucket=trail["bucket"], Key=key)
        assert head["Metadata"]["signature-algorithm"] == "SHA256withRSA"
        assert re.fullmatch(r"[0-9a-f]{512}", head["Metadata"]["signature"])
        digest = json.loads(_body(trail, key))
        assert digest["awsAccountId"] == account
        assert digest["digestS3Bucket"] == trail["bucket"] and digest["digestS3Object"] == key
        assert digest["digestSignatureAlgorithm"] == "SHA256withRSA"
        assert digest["digestStartTime"] <= digest["digestEndTime"]
        for log in digest["logFiles"]:
            assert log["hashAlgorithm"] == "SHA-256"
            assert log["hashValue"] == hashlib.sha256(_body(trail, log["s3Object"])).hexdigest()


def test_every_delivered_log_file_is_in_a_digest(trail) -> None:
    listed = {log["s3Object"] for key in _digests(trail) for log in json.loads(_body(trail, key))["logFiles"]}
    assert set(_logs(trail)) == listed


def _chains(trail) -> dict[str, list[str]]:
    chains: dict[str, list[str]] = {}
    for key in sorted(_digests(trail)):
        region = key.split("/CloudTrail-Digest/")[1].split("/")[0]
        chains.setdefault(region, []).append(key)
    return chains


def test_digests_chain(trail) -> None:
    for region, keys in _chains(trail).items():
        previous = None
        for key in keys:
            digest = json.loads(_body(trail, key))
            if previous is None:
                assert digest["previousDigestSignature"] is None
                assert digest["previousDigestHashValue"] is None
            else:
                head = trail["s3"].head_object(Bucket=trail["bucket"], Key=previous)
                assert digest["previousDigestS3Bucket"] == trail["bucket"]
                assert digest["previousDigestS3Object"] == previous
                assert digest["previousDigestSignature"] == head["Metadata"]["signature"]
                assert digest["previousDigestHashValue"] == hashlib.sha256(_body(trail, previous)).hexdigest()
                assert digest["previousDigestHashAlgorithm"] == "SHA-256"
                assert digest["digestStartTime"] == json.loads(_body(trail, previous))["digestEndTime"]
            previous = key
        assert len(keys) >= 2, f"{region}: expected a chain of digests"


def _openssl(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True)


@requires_openssl
def test_digest_signatures_verify_with_openssl(trail, tmp_path: Path) -> None:
    keys = trail["cloudtrail"].list_public_keys()["PublicKeyList"]
    assert len(keys) == 1
    public = keys[0]
    (tmp_path / "key.der").write_bytes(public["Value"])
    converted = _openssl("rsa", "-RSAPublicKey_in", "-inform", "DER", "-in", "key.der", "-pubout", "-out", "key.pem", cwd=tmp_path)
    assert converted.returncode == 0, converted.stderr
    assert hashlib.md5(public["Value"]).hexdigest() == public["Fingerprint"]
    for key in _digests(trail):
        raw = _body(trail, key)
        digest = json.loads(raw)
        assert digest["digestPublicKeyFingerprint"] == public["Fingerprint"]
        signature = trail["s3"].head_object(Bucket=trail["bucket"], Key=key)["Metadata"]["signature"]
        to_sign = "\n".join(
            [
                digest["digestEndTime"],
                f"{digest['digestS3Bucket']}/{digest['digestS3Object']}",
                hashlib.sha256(raw).hexdigest(),
                digest["previousDigestSignature"] or "null",
            ]
        )
        (tmp_path / "signed.txt").write_text(to_sign)
        (tmp_path / "signature.bin").write_bytes(bytes.fromhex(signature))
        verified = _openssl("dgst", "-sha256", "-verify", "key.pem", "-signature", "signature.bin", "signed.txt", cwd=tmp_path)
        assert verified.returncode == 0 and "Verified OK" in verified.stdout, verified.stdout + verified.stderr
        (tmp_path / "signed.txt").write_text(to_sign + " ")
        tampered = _openssl("dgst", "-sha256", "-verify", "key.pem", "-signature", "signature.bin", "signed.txt", cwd=tmp_path)
        assert tampered.returncode != 0


@requires_aws_cli
def test_aws_cli_validate_logs_accepts_the_chain(lab_process, trail) -> None:
    state = lab_process.state
    environment = {
        **clean_environment(),
        "AWS_CONFIG_FILE": str(state / "aws" / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(state / "aws" / "credentials"),
    }
    start = min(json.loads(_body(trail, k))["digestStartTime"] for k in _digests(trail))
    result = subprocess.run(
        [
            "aws", "cloudtrail", "validate-logs",
            "--profile", f"lab-{trail['account']}",
            "--region", HOME,
            "--trail-arn", trail["arn"],
            "--start-time", start,
            "--verbose",
        ],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "INVALID" not in result.stdout + result.stderr
    digests_in_home = len([k for k in _digests(trail) if f"/CloudTrail-Digest/{HOME}/" in k])
    assert f"{digests_in_home}/{digests_in_home} digest files valid" in result.stdout


def test_no_delivery_after_stop(lab, trail) -> None:
    before = set(trail["keys"])
    lab.client(admin(lab, ACCOUNT), "iam").list_users()
    lab.flush()
    now = {o["Key"] for o in trail["s3"].list_objects_v2(Bucket=trail["bucket"]).get("Contents", [])}
    assert now == before
