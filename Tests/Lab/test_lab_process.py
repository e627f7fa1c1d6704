"""The lab as a process: what it writes, the AWS CLI pointed at it, its Organization, stopping."""

from __future__ import annotations

import json
import stat
import subprocess

import pytest
from conftest import admin, clean_environment, requires_aws_cli


def _aws(lab_process, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {
        **clean_environment(),
        "HOME": str(lab_process.state.parent),  # the CLI's credential cache lives under ~/.aws
        "AWS_CONFIG_FILE": str(lab_process.state / "aws" / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(lab_process.state / "aws" / "credentials"),
        **(env or {}),
    }
    return subprocess.run(["aws", *args, "--output", "json"], capture_output=True, text=True, env=environment, timeout=120)


def test_ready_line_and_lab_json(lab_process) -> None:
    document = json.loads((lab_process.state / "lab.json").read_text())
    assert lab_process.ready_line == f"lab ready at {document['endpoint']}"
    assert document["endpoint"].startswith("http://127.0.0.1:")
    assert [a["id"] for a in document["accounts"]] == ["111111111111", "222222222222", "333333333333", "444444444444"]
    assert document["organization"]["managementAccountId"] == "111111111111"
    for account in document["accounts"]:
        assert account["profile"] == f"lab-{account['id']}"
        assert account["administrator"]["accessKeyId"].startswith("AKIA")
        assert len(account["administrator"]["secretAccessKey"]) == 40


@pytest.mark.parametrize("name", ["lab.json", "aws/config", "aws/credentials"])
def test_files_with_secrets_are_private(lab_process, name: str) -> None:
    mode = stat.S_IMODE((lab_process.state / name).stat().st_mode)
    assert mode == 0o600


@requires_aws_cli
def test_aws_cli_profile_per_account(lab_process, lab) -> None:
    for account in lab.accounts:
        result = _aws(lab_process, "sts", "get-caller-identity", "--profile", account["profile"])
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["Arn"] == account["administrator"]["arn"]


@requires_aws_cli
def test_aws_cli_role_profile_switches_account(lab_process, lab) -> None:
    member = lab.account(1)["id"]
    result = _aws(lab_process, "sts", "get-caller-identity", "--profile", f"lab-{member}-org")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["Arn"].startswith(f"arn:aws:sts::{member}:assumed-role/OrganizationAccountAccessRole/lab-org-admin-")


@requires_aws_cli
def test_aws_endpoint_url_from_the_environment(lab_process, lab) -> None:
    creds = lab.admin(2)
    result = subprocess.run(
        ["aws", "iam", "list-users", "--output", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **clean_environment(),
            "AWS_ENDPOINT_URL": lab.endpoint,
            "AWS_ACCESS_KEY_ID": creds.access_key_id,
            "AWS_SECRET_ACCESS_KEY": creds.secret_access_key,
            "AWS_DEFAULT_REGION": "us-east-1",
        },
    )
    assert result.returncode == 0, result.stderr
    assert "lab-admin" in result.stdout


def test_organization_and_its_role(lab) -> None:
    organizations = lab.client(admin(lab, 0), "organizations")
    listed = sorted(a["Id"] for a in organizations.list_accounts()["Accounts"])
    assert listed == sorted(a["id"] for a in lab.accounts)
    member = lab.account(3)["id"]
    session = lab.client(admin(lab, 0), "sts").assume_role(
        RoleArn=f"arn:aws:iam::{member}:role/OrganizationAccountAccessRole", RoleSessionName="org-check"
    )
    assert session["AssumedRoleUser"]["Arn"].startswith(f"arn:aws:sts::{member}:assumed-role/")
    attached = lab.client(admin(lab, 3), "iam").list_attached_role_policies(RoleName="OrganizationAccountAccessRole")
    assert [p["PolicyArn"] for p in attached["AttachedPolicies"]] == ["arn:aws:iam::aws:policy/AdministratorAccess"]


def test_managed_policies_are_loaded(lab) -> None:
    policy = lab.client(admin(lab, 1), "iam").get_policy(PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    assert policy["Policy"]["PolicyName"] == "ReadOnlyAccess"


def test_lab_api_health_and_unknown_route(lab) -> None:
    assert lab._lab_api("GET", "/lab-api/health") == {"status": "ok"}
    with pytest.raises(Exception) as missing:
        lab._lab_api("GET", "/lab-api/nothing-here")
    assert "404" in str(missing.value)


def test_stops_cleanly_on_sigterm(start_lab) -> None:
    process = start_lab(accounts=1)
    state = process.state
    assert (state / "lab.json").exists()
    assert process.stop() == 0
    assert not (state / "lab.json").exists()
    assert "lab stopped" in (state / "lab.log").read_text()


def _with_moto_account(client, account_id: str):
    client.meta.events.register("before-send", lambda request, **_: request.headers.__setitem__("x-moto-account-id", account_id))
    return client


def test_x_moto_account_id_is_setup_for_the_management_admin_only(lab) -> None:
    target = lab.account(3)["id"]
    iam = _with_moto_account(lab.client(admin(lab, 0), "iam", retries=0), target)
    iam.create_user(UserName="made-by-setup")
    assert lab.client(admin(lab, 3), "iam").get_user(UserName="made-by-setup")["User"]["Arn"] == f"arn:aws:iam::{target}:user/made-by-setup"
    created = [r for r in lab.events() if r["eventName"] == "CreateUser" and r["requestParameters"] == {"userName": "made-by-setup"}]
    assert created == [], "setup calls are not activity and leave no record"
    other = _with_moto_account(lab.client(admin(lab, 1), "iam", retries=0), target)
    with pytest.raises(Exception) as refused:
        other.create_user(UserName="not-allowed")
    assert "AccessDenied" in str(refused.value)
