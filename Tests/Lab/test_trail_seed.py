"""POST /lab-api/seed-trail: past hours of an Organization written into its trail's bucket as delivery would have."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import subprocess
import urllib.error
from pathlib import Path

import pytest
from conftest import admin, lookup, requires_openssl

REGIONS = ["us-east-1", "eu-west-1"]


@pytest.fixture(scope="module")
def seeded(start_lab):
    process = start_lab(accounts=3, extra=["--organization-trail", "--digest-interval", "86400", "--lookup-rate", "0"])
    lab = process.lab
    answer = lab._lab_api("POST", "/lab-api/seed-trail", {"events": 1200, "hours": 3, "regions": REGIONS, "history": True})
    trail = json.loads((process.state / "lab.json").read_text())["options"]["organizationTrail"]
    logging_actor = admin(lab, trail["loggingAccount"])
    s3 = lab.client(logging_actor, "s3")
    keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=trail["bucket"]) for o in page.get("Contents", [])]
    return {"process": process, "lab": lab, "answer": answer, "trail": trail, "s3": s3, "keys": keys}


def _body(seeded, key: str) -> bytes:
    return gzip.decompress(seeded["s3"].get_object(Bucket=seeded["trail"]["bucket"], Key=key)["Body"].read())


def test_every_event_is_in_a_log_file_of_its_account_region_and_five_minutes(seeded) -> None:
    answer = seeded["answer"]
    assert answer["events"] == 1200 and answer["logFiles"] == 3 * 2 * 36 and answer["bucket"] == seeded["trail"]["bucket"]
    logs = [k for k in seeded["keys"] if "/CloudTrail/" in k]
    assert len(logs) == answer["logFiles"]
    assert answer["bytes"] > 0
    pattern = re.compile(r"^AWSLogs/o-\w+/(?P<account>\d{12})/CloudTrail/(?P<region>[a-z0-9-]+)/\d{4}/\d\d/\d\d/(?P=account)_CloudTrail_(?P=region)_(?P<stamp>\d{8}T\d{4})Z_")
    window = (answer["from"], answer["to"])
    count = 0
    for key in logs:
        match = pattern.match(key)
        assert match, key
        records = json.loads(_body(seeded, key))["Records"]
        times = sorted(r["eventTime"] for r in records)
        assert window[0] <= times[0] and times[-1] < window[1]
        # Delivered a minute after the five minutes its records fall in.
        assert times[-1][:16].replace("-", "").replace(":", "") < match["stamp"]
        for record in records:
            assert record["recipientAccountId"] == match["account"] and record["awsRegion"] == match["region"]
            assert record["userAgent"].endswith("custody-lab-seed")
        count += len(records)
    assert count == 1200


def test_hourly_digests_chain_and_list_every_log_file_once_the_lab_flushes(seeded) -> None:
    seeded["lab"].flush()
    s3, bucket = seeded["s3"], seeded["trail"]["bucket"]
    keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket) for o in page.get("Contents", [])]
    chains: dict[tuple[str, str], list[str]] = {}
    for key in sorted(k for k in keys if "/CloudTrail-Digest/" in k):
        account, _, region = key.split("/")[2:5]
        chains.setdefault((account, region), []).append(key)
    assert len(chains) == 3 * 2
    listed = set()
    for chain in chains.values():
        assert len(chain) >= 3  # the seeded hours', then the flush's for the last hour
        previous = None
        for key in chain:
            digest = json.loads(_body(seeded, key))
            if previous is not None:
                assert digest["previousDigestS3Object"] == previous
                assert digest["previousDigestHashValue"] == hashlib.sha256(_body(seeded, previous)).hexdigest()
            for log in digest["logFiles"]:
                assert log["hashValue"] == hashlib.sha256(_body(seeded, log["s3Object"])).hexdigest()
                listed.add(log["s3Object"])
            previous = key
    assert listed == {k for k in keys if "/CloudTrail/" in k}


@requires_openssl
def test_seeded_digests_verify_with_the_published_key(seeded, tmp_path: Path) -> None:
    lab, s3, bucket = seeded["lab"], seeded["s3"], seeded["trail"]["bucket"]
    cloudtrail = lab.client(admin(lab, 0), "cloudtrail")
    (tmp_path / "key.der").write_bytes(cloudtrail.list_public_keys()["PublicKeyList"][0]["Value"])
    subprocess.run(["openssl", "rsa", "-RSAPublicKey_in", "-inform", "DER", "-in", "key.der", "-pubout", "-out", "key.pem"], cwd=tmp_path, check=True, capture_output=True)
    digests = [k for k in seeded["keys"] if "/CloudTrail-Digest/" in k]
    assert digests
    for key in digests[:6]:
        raw = _body(seeded, key)
        digest = json.loads(raw)
        signature = s3.head_object(Bucket=bucket, Key=key)["Metadata"]["signature"]
        signed = f"{digest['digestEndTime']}\n{bucket}/{key}\n{hashlib.sha256(raw).hexdigest()}\n{digest['previousDigestSignature'] or 'null'}"
        (tmp_path / "signed.txt").write_text(signed)
        (tmp_path / "signature.bin").write_bytes(bytes.fromhex(signature))
        verified = subprocess.run(["openssl", "dgst", "-sha256", "-verify", "key.pem", "-signature", "signature.bin", "signed.txt"], cwd=tmp_path, capture_output=True, text=True)
        assert "Verified OK" in verified.stdout, key


def test_with_history_lookup_events_lists_the_seeded_events_newest_first(seeded) -> None:
    lab = seeded["lab"]
    member = lab.accounts[1]["id"]
    events = [r for r in lab.events(member) if r["userAgent"].endswith("custody-lab-seed")]
    assert len(events) == 400
    assert [r["eventTime"] for r in events] == sorted(r["eventTime"] for r in events)
    page = lookup(lab.client(admin(lab, 1), "cloudtrail", "eu-west-1"), MaxResults=50)
    times = [e["EventTime"] for e in page["Events"]]
    assert len(times) == 50 and times == sorted(times, reverse=True)


def test_a_chain_that_has_delivered_cannot_be_given_a_past(seeded) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        seeded["lab"]._lab_api("POST", "/lab-api/seed-trail", {"events": 10, "hours": 1, "regions": REGIONS})
    assert refused.value.code == 409 and "delivered" in json.loads(refused.value.read())["message"]


def test_bad_bodies_are_refused(seeded) -> None:
    for body in ({"events": 0, "regions": REGIONS}, {"events": 10}, {"events": 10, "regions": REGIONS, "accounts": ["123456789012"]}):
        with pytest.raises(urllib.error.HTTPError) as refused:
            seeded["lab"]._lab_api("POST", "/lab-api/seed-trail", body)
        assert refused.value.code == 400, body
