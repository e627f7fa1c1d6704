"""The training scenario end to end: its ids name things that exist, and the trail saw them; then the defender's containment and eradication."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from botocore.exceptions import ClientError
from conftest import SCRIPTS, clean_environment
from custodylab.client import Actor, Credentials

SECRET_SHAPE = re.compile(r"^[A-Za-z0-9/+]{40}$")


def _scenario(lab_process, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPTS / "scenario"), "--lab", str(lab_process.state), *args],
        capture_output=True,
        text=True,
        env=clean_environment(),
        timeout=300,
    )


@pytest.fixture(scope="module")
def played(start_lab, tmp_path_factory):
    """A fresh lab with the scenario played in two phases, with the ids after each."""
    process = start_lab(accounts=3)
    out = tmp_path_factory.mktemp("scenario")
    baseline = _scenario(process, "--phase", "baseline", "--ids-out", str(out / "baseline.json"))
    assert baseline.returncode == 0, baseline.stdout + baseline.stderr
    attack = _scenario(process, "--phase", "attack", "--ids-out", str(out / "ids.json"))
    assert attack.returncode == 0, attack.stdout + attack.stderr
    return {
        "process": process,
        "lab": process.lab,
        "baseline": json.loads((out / "baseline.json").read_text()),
        "ids": json.loads((out / "ids.json").read_text()),
        "output": baseline.stdout + attack.stdout,
        "ids_text": (out / "ids.json").read_text(),
    }


def _defender(played):
    lab = played["lab"]
    return Actor("checker", lab.admin(played["ids"]["defender"]["accountId"]))


def _walk(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)
    else:
        yield value


def test_baseline_ids_leave_the_attack_empty(played) -> None:
    baseline = played["baseline"]
    assert baseline["attacker"]["leakedAccessKeyId"].startswith("AKIA")
    assert all(v is None for k, v in baseline["persistence"]["user"].items() if k == "userId")
    assert baseline["persistence"]["instance"]["instanceId"] is None


def test_ids_are_complete_and_hold_no_secret(played) -> None:
    values = list(_walk(played["ids"]))
    assert None not in values, "a phase left an id unset"
    assert not [v for v in values if isinstance(v, str) and SECRET_SHAPE.match(v)]
    lab = played["lab"]
    assert lab.admin(played["ids"]["defender"]["accountId"]).secret_access_key not in played["ids_text"]
    state = json.loads((played["process"].state / "scenario-state.json").read_text())
    for creds in state["credentials"].values():
        assert creds["secret_access_key"] not in played["ids_text"]
        assert creds["secret_access_key"] not in played["output"]
        if creds["session_token"]:
            assert creds["session_token"] not in played["output"]


def test_ids_name_resources_that_exist(played) -> None:
    lab, ids = played["lab"], played["ids"]
    defender = _defender(played)
    persistence = ids["persistence"]
    iam = lab.client(defender, "iam")

    alice_keys = {k["AccessKeyId"]: k["Status"] for k in iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]}
    assert alice_keys == {ids["defender"]["users"]["alice"]["accessKeyIds"]["current"]: "Active", persistence["accessKey"]["accessKeyId"]: "Active"}

    user = iam.get_user(UserName=persistence["user"]["userName"])["User"]
    assert user["UserId"] == persistence["user"]["userId"]
    assert iam.get_login_profile(UserName=persistence["user"]["userName"])["LoginProfile"]["UserName"] == user["UserName"]
    attached = iam.list_attached_user_policies(UserName=user["UserName"])["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == [persistence["user"]["policyArn"]]

    role = iam.get_role(RoleName=persistence["role"]["roleName"])["Role"]
    assert role["RoleId"] == persistence["role"]["roleId"] and role["Arn"] == persistence["role"]["arn"]
    trust = json.dumps(role["AssumeRolePolicyDocument"])
    assert f"arn:aws:iam::{ids['attacker']['accountId']}:root" in trust

    ec2 = lab.client(defender, "ec2", persistence["instance"]["region"])
    instance = ec2.describe_instances(InstanceIds=[persistence["instance"]["instanceId"]])["Reservations"][0]["Instances"][0]
    assert instance["IamInstanceProfile"]["Arn"] == persistence["instance"]["instanceProfileArn"]
    assert instance["PrivateIpAddress"] == persistence["instance"]["privateIpAddress"]
    endpoints = ec2.describe_vpc_endpoints(VpcEndpointIds=[persistence["vpcEndpoint"]["vpcEndpointId"]])["VpcEndpoints"]
    assert endpoints[0]["ServiceName"] == persistence["vpcEndpoint"]["serviceName"]

    home = lab.client(defender, "ec2", ids["defender"]["homeRegion"])
    assert home.describe_instances(InstanceIds=[ids["defender"]["webServer"]["instanceId"]])["Reservations"]
    assert lab.client(defender, "cloudtrail", ids["defender"]["trail"]["region"]).get_trail_status(Name=ids["defender"]["trail"]["name"])["IsLogging"]


def test_records_tie_the_persistence_to_the_leaked_key(played) -> None:
    lab, ids = played["lab"], played["ids"]
    records = lab.events(ids["defender"]["accountId"])
    leaked = ids["attacker"]["leakedAccessKeyId"]
    by_leaked = [r for r in records if r["userIdentity"].get("accessKeyId") == leaked]
    assert {r["sourceIPAddress"] for r in by_leaked} == {ids["attacker"]["sourceIp"]}
    names = {r["eventName"] for r in by_leaked}
    assert {"CreateAccessKey", "CreateUser", "CreateLoginProfile", "CreateRole", "RunInstances", "CreateVpcEndpoint", "GetSessionToken", "GetFederationToken"} <= names
    denied = [r for r in by_leaked if r.get("errorCode") == "AccessDenied"]
    assert len(denied) >= 2

    session = [r for r in by_leaked if r["eventName"] == "GetSessionToken"][0]
    assert session["responseElements"]["credentials"]["accessKeyId"] == ids["persistence"]["sessionToken"]["accessKeyId"]
    federation = [r for r in by_leaked if r["eventName"] == "GetFederationToken"][0]
    assert federation["responseElements"]["credentials"]["accessKeyId"] == ids["persistence"]["federationToken"]["accessKeyId"]

    used = {r["userIdentity"].get("accessKeyId"): r["userIdentity"]["type"] for r in records}
    assert used[ids["persistence"]["sessionToken"]["accessKeyId"]] == "IAMUser"
    assert used[ids["persistence"]["federationToken"]["accessKeyId"]] == "FederatedUser"
    assert used[ids["persistence"]["role"]["assumedRoleAccessKeyId"]] == "AssumedRole"
    assert used[ids["persistence"]["accessKey"]["accessKeyId"]] == "IAMUser"

    through = [r for r in records if r.get("vpcEndpointId") == ids["persistence"]["vpcEndpoint"]["vpcEndpointId"]]
    assert through, "no call went through the VPC endpoint"
    for record in through:
        assert record["sourceIPAddress"] == ids["persistence"]["instance"]["privateIpAddress"]
        assert record["userIdentity"]["accessKeyId"] == ids["persistence"]["instance"]["roleSessionAccessKeyId"]
        assert record["awsRegion"] == ids["persistence"]["instance"]["region"]

    hidden = ids["persistence"]["instance"]["region"]
    office = {"198.51.100.10", "198.51.100.23"}  # the scenario's defender and developer
    defenders_own = {r["awsRegion"] for r in records if r["sourceIPAddress"] in office}
    assert hidden not in defenders_own, "the hidden region must be one the defender never used"


def test_the_cross_account_assume_role_is_in_the_defenders_history(played) -> None:
    lab, ids = played["lab"], played["ids"]
    records = lab.events(ids["defender"]["accountId"])
    assumed = [
        r
        for r in records
        if r["eventName"] == "AssumeRole" and r["userIdentity"]["type"] == "AWSAccount" and r["userIdentity"]["accountId"] == ids["attacker"]["accountId"]
    ]
    assert assumed and assumed[0]["requestParameters"]["roleArn"] == ids["persistence"]["role"]["arn"]


def test_the_trail_bucket_received_both_phases(played) -> None:
    lab, ids = played["lab"], played["ids"]
    trail = ids["defender"]["trail"]
    s3 = lab.client(_defender(played), "s3", trail["region"])
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=trail["bucket"])["Contents"]]
    regions = {k.split("/")[3] for k in keys if "/CloudTrail/" in k}
    assert {"us-east-1", ids["defender"]["homeRegion"], ids["persistence"]["instance"]["region"]} <= regions
    assert any("/CloudTrail-Digest/" in k for k in keys)


def test_phase_order_is_enforced(lab_process) -> None:
    result = _scenario(lab_process, "--phase", "attack")
    assert result.returncode == 1
    assert "run --phase baseline" in result.stderr


def test_needs_enough_accounts(start_lab) -> None:
    process = start_lab(accounts=2)
    result = _scenario(process)
    assert result.returncode == 1
    assert "--accounts 3" in result.stderr


def _account_state(lab, ids) -> dict:
    """What the defender's account holds of the attack's persistence, seen by its administrator."""
    defender = Actor("checker", lab.admin(ids["defender"]["accountId"]))
    persistence = ids["persistence"]
    iam = lab.client(defender, "iam")
    keys = {}
    for user in ("test", "alice"):
        keys.update({k["AccessKeyId"]: k["Status"] for k in iam.list_access_keys(UserName=user)["AccessKeyMetadata"]})
    users = {u["UserName"] for u in iam.list_users()["Users"]}
    roles = {r["RoleName"] for r in iam.list_roles()["Roles"]}
    profiles = {p["InstanceProfileName"] for p in iam.list_instance_profiles()["InstanceProfiles"]}
    policies = {name: iam.get_user_policy(UserName="test", PolicyName=name)["PolicyDocument"] for name in iam.list_user_policies(UserName="test")["PolicyNames"]}
    ec2 = lab.client(defender, "ec2", persistence["instance"]["region"])
    instance = ec2.describe_instances(InstanceIds=[persistence["instance"]["instanceId"]])["Reservations"][0]["Instances"][0]
    endpoints = {e["VpcEndpointId"]: e["State"] for e in ec2.describe_vpc_endpoints()["VpcEndpoints"]}
    return {
        "keys": keys,
        "users": users,
        "roles": roles,
        "profiles": profiles,
        "testPolicies": policies,
        "instance": instance["State"]["Name"],
        "endpoint": endpoints.get(persistence["vpcEndpoint"]["vpcEndpointId"], "gone"),
    }


@pytest.fixture(scope="module")
def responded(start_lab, tmp_path_factory):
    """A fresh lab with the attack played, then the defender's contain and eradicate phases, with what each left."""
    process = start_lab(accounts=3)
    out = tmp_path_factory.mktemp("response")
    for phase in ("baseline", "attack"):
        result = _scenario(process, "--phase", phase, "--ids-out", str(out / "ids.json"))
        assert result.returncode == 0, result.stdout + result.stderr
    too_early = _scenario(process, "--phase", "eradicate")
    contain = _scenario(process, "--phase", "contain", "--ids-out", str(out / "ids.json"))
    assert contain.returncode == 0, contain.stdout + contain.stderr
    ids = json.loads((out / "ids.json").read_text())
    contained = _account_state(process.lab, ids)
    state = json.loads((process.state / "scenario-state.json").read_text())
    leaked = Actor("attacker", Credentials(**state["credentials"]["leakedKey"]))
    try:
        process.lab.client(leaked, "sts", retries=0).get_caller_identity()
        leaked_error = None
    except ClientError as error:
        leaked_error = error.response["Error"]["Code"]
    eradicate = _scenario(process, "--phase", "eradicate", "--ids-out", str(out / "ids.json"))
    assert eradicate.returncode == 0, eradicate.stdout + eradicate.stderr
    return {
        "lab": process.lab,
        "ids": ids,
        "too_early": too_early,
        "contained": contained,
        "leaked_error": leaked_error,
        "eradicated": _account_state(process.lab, ids),
        "output": contain.stdout + eradicate.stdout,
    }


def test_the_defenders_phases_come_after_the_attack(responded, lab_process) -> None:
    assert responded["too_early"].returncode == 1
    assert "run --phase contain" in responded["too_early"].stderr
    result = _scenario(lab_process, "--phase", "contain")
    assert result.returncode == 1 and "run --phase attack" in result.stderr
    from custodylab import scenario

    assert scenario.ALL == ("baseline", "attack"), "--phase all stays the course's exercise up to the attack"


def test_contain_disables_the_keys_revokes_the_sessions_and_leaves_only_the_vpc_endpoint(responded) -> None:
    ids, contained = responded["ids"], responded["contained"]
    persistence = ids["persistence"]
    assert contained["keys"][ids["attacker"]["leakedAccessKeyId"]] == "Inactive"
    assert contained["keys"][persistence["accessKey"]["accessKeyId"]] == "Inactive"
    assert responded["leaked_error"] == "InvalidClientTokenId", "a disabled key is refused"
    assert persistence["user"]["userName"] not in contained["users"]
    assert persistence["role"]["roleName"] not in contained["roles"]
    assert persistence["role"]["roleName"] not in contained["profiles"]
    assert contained["instance"] == "terminated"
    # The one thing left, as the ids say.
    left = ids["response"]["leftByContain"]
    assert left == {"technique": "6.5", "kind": "ec2-vpc-endpoint", "id": persistence["vpcEndpoint"]["vpcEndpointId"], "region": persistence["vpcEndpoint"]["region"]}
    assert contained["endpoint"] == "available"
    # The revocation denies every session issued before it: the tokens the leaked key made are older.
    statement = contained["testPolicies"]["AWSRevokeOlderSessions"]["Statement"][0]
    assert statement["Effect"] == "Deny" and statement["Action"] == ["*"] and statement["Resource"] == ["*"]
    revoked_before = statement["Condition"]["DateLessThan"]["aws:TokenIssueTime"]
    records = responded["lab"].events(ids["defender"]["accountId"])
    issued = [r["eventTime"] for r in records if r["eventName"] in ("GetSessionToken", "GetFederationToken")]
    assert issued and all(time < revoked_before for time in issued), (issued, revoked_before)


def test_eradicate_removes_the_vpc_endpoint_and_keeps_the_keys_disabled(responded) -> None:
    ids, eradicated = responded["ids"], responded["eradicated"]
    assert eradicated["endpoint"] in ("gone", "deleted")
    assert eradicated["keys"][ids["attacker"]["leakedAccessKeyId"]] == "Inactive", "disabled until the case closes"
    records = responded["lab"].events(ids["defender"]["accountId"])
    deletions = [r for r in records if r["eventName"] == "DeleteVpcEndpoints"]
    assert deletions and deletions[0]["sourceIPAddress"] == "198.51.100.10"
    assert "is left" in responded["output"]
