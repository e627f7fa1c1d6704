"""The rules scenario (``Scripts/rules-scenario.json``): it plays without errors, and each change is
one recorded call, made with the leaked key from the attacker's address, on its own entity."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from conftest import SCRIPTS, clean_environment

DATA = SCRIPTS / "rules-scenario.json"
SECRET_SHAPE = re.compile(r"^[A-Za-z0-9/+]{40}$")

#: The call that makes each change, and the request parameter naming its entity (from the ids).
CHANGES = {
    "UpdateAccessKey": ("accessKeyId", "iam.access-key.reactivated", "accessKeyId"),
    "UpdateLoginProfile": ("userName", "iam.login-profile.changed", "userName"),
    "UpdateAssumeRolePolicy": ("roleName", "iam.role.trust-changed", "roleName"),
    "AttachUserPolicy": ("userName", "iam.policy.privileged-attached", "userName"),
    "PutRolePolicy": ("roleName", "iam.policy.privileged-attached", "roleName"),
    "CreatePolicyVersion": ("policyArn", "iam.policy.version-changed", "policyArn"),
    "AddUserToGroup": ("userName", "iam.group.member-added", "userName"),
    "EnableMFADevice": ("serialNumber", "iam.credential.other-added", "mfaSerialNumber"),
    "AddRoleToInstanceProfile": ("instanceProfileName", "iam.instance-profile.changed", "instanceProfileName"),
    "AuthorizeSecurityGroupIngress": ("groupId", "ec2.security-group.opened", "groupId"),
    "ImportKeyPair": ("keyName", "ec2.key-pair.added", "keyName"),
    "UpdateDetector": ("detectorId", "guardduty.impaired", "disabled"),
    "DeleteDetector": ("detectorId", "guardduty.impaired", "deleted"),
    "GetSecretValue": ("secretId", "credential-access.secrets", "secretId"),
    "GetParameter": ("name", "credential-access.secrets", "parameterName"),
    "ModifySnapshotAttribute": ("snapshotId", "exfiltration.resource-shared", "snapshotId"),
    "ModifyImageAttribute": ("imageId", "exfiltration.resource-shared", "imageId"),
    "PutBucketPolicy": ("bucketName", "exfiltration.resource-shared", "bucket"),
    "ModifyInstanceAttribute": ("instanceId", "execution.instance-command", "userData"),
    "AddPermission": ("functionName", "lambda.policy.external-access", "functionName"),
    "DeleteBucketPolicy": ("bucketName", "logging.trail-bucket.impaired", "bucket"),
}


def _scenario(lab_process, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPTS / "scenario"), "--lab", str(lab_process.state), "--data", str(DATA), *args],
        capture_output=True,
        text=True,
        env=clean_environment(),
        timeout=300,
    )


@pytest.fixture(scope="module")
def played(start_lab, tmp_path_factory):
    """A fresh lab with the rules scenario played in two phases."""
    process = start_lab(accounts=3)
    out = tmp_path_factory.mktemp("rules")
    baseline = _scenario(process, "--phase", "baseline", "--ids-out", str(out / "baseline.json"))
    assert baseline.returncode == 0, baseline.stdout + baseline.stderr
    attack = _scenario(process, "--phase", "attack", "--ids-out", str(out / "ids.json"))
    assert attack.returncode == 0, attack.stdout + attack.stderr
    return {
        "process": process,
        "lab": process.lab,
        "ids": json.loads((out / "ids.json").read_text()),
        "ids_text": (out / "ids.json").read_text(),
        "output": baseline.stdout + attack.stdout,
    }


def _walk(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)
    else:
        yield value


def test_ids_are_complete_and_hold_no_secret(played) -> None:
    values = list(_walk(played["ids"]))
    assert None not in values, "a phase left an id unset"
    assert not [v for v in values if isinstance(v, str) and SECRET_SHAPE.match(v)]
    state = json.loads((played["process"].state / "scenario-state.json").read_text())
    for creds in state["credentials"].values():
        assert creds["secret_access_key"] not in played["ids_text"]
        assert creds["secret_access_key"] not in played["output"]


def test_every_change_is_one_call_with_the_leaked_key_on_its_own_entity(played) -> None:
    lab, ids = played["lab"], played["ids"]
    records = lab.events(ids["defender"]["accountId"])
    leaked, ip = ids["attacker"]["leakedAccessKeyId"], ids["attacker"]["sourceIp"]
    attack = [r for r in records if r["userIdentity"].get("accessKeyId") == leaked and r["sourceIPAddress"] == ip]
    failed = [r for r in attack if r.get("errorCode")]
    assert [r["eventName"] for r in failed] == ["AssumeRole"] * 5 + ["DeleteFlowLogs"], "the probes and one attempt"
    attempt = ids["changes"]["logging.flow-logs.deleted"]["attempt"]
    assert failed[-1]["requestParameters"]["flowLogId"] == {"items": [attempt]}
    succeeded = [r for r in attack if not r.get("errorCode")]
    for name, (parameter, rule, key) in CHANGES.items():
        made = [r for r in succeeded if r["eventName"] == name]
        assert len(made) == 1, f"{name}: {len(made)} calls"
        assert made[0]["requestParameters"][parameter] == ids["changes"][rule][key], name
    deleted = [r for r in succeeded if r["eventName"] == "DeleteFlowLogs"]
    assert [r["requestParameters"]["flowLogId"] for r in deleted] == [
        {"items": [ids["changes"]["logging.flow-logs.deleted"]["flowLogId"]]}
    ]
    names = [r["eventName"] for r in succeeded]
    for name in ("UploadSSHPublicKey", "CreateVirtualMFADevice", "UploadSigningCertificate", "CreateSAMLProvider",
                 "CreateOpenIDConnectProvider", "StopLogging", "PutEventSelectors", "DeleteTrail", "SendCommand"):
        assert names.count(name) == 1, name
    assert len({r["eventName"] for r in succeeded if r["readOnly"]}) >= 6, "the discovery burst"


def test_the_attackers_account_assumed_the_backdoored_role(played) -> None:
    lab, ids = played["lab"], played["ids"]
    change = ids["changes"]["sts.role-assumed-by-suspect"]
    assumed = [
        r
        for r in lab.events(ids["defender"]["accountId"])
        if r["eventName"] == "AssumeRole" and r["userIdentity"]["type"] == "AWSAccount" and not r.get("errorCode")
    ]
    assert [r["requestParameters"]["roleArn"] for r in assumed] == [change["roleArn"]]
    assert assumed[0]["userIdentity"]["accountId"] == ids["attacker"]["accountId"]
    assert assumed[0]["responseElements"]["credentials"]["accessKeyId"] == change["assumedRoleAccessKeyId"]


def test_records_carry_what_the_rules_read_and_no_secret(played) -> None:
    lab, ids = played["lab"], played["ids"]
    records = {r["eventName"]: r for r in lab.events(ids["defender"]["accountId"]) if not r.get("errorCode")}
    policy = records["PutBucketPolicy"]["requestParameters"]["bucketPolicy"]
    assert policy["Statement"][0]["Principal"] == "*"
    device = records["CreateVirtualMFADevice"]["responseElements"]["virtualMFADevice"]
    assert device == {"serialNumber": ids["changes"]["iam.credential.other-added"]["mfaSerialNumber"]}
    assert records["ModifyInstanceAttribute"]["requestParameters"]["userData"] == "<sensitiveDataRemoved>"
    text = json.dumps(list(records.values()))
    assert "lab-only-not-a-real-secret" not in text
    assert "Attacker-Knows-Th1s!" not in text
