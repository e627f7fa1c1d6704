"""IAM Identity Center in the lab: the portal's GetRoleCredentials and OIDC's CreateToken, checked with botocore."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
from conftest import SCRIPTS, admin, clean_environment, events_named
from custodylab import ssologin
from custodylab.client import Actor, Credentials, Lab

ROLE = "OrganizationAccountAccessRole"


def unsigned(lab: Lab, service: str) -> Any:
    """A botocore client of ``service`` that sends unsigned requests to the lab."""
    return boto3.session.Session().client(
        service, region_name="us-east-1", endpoint_url=lab.endpoint, config=Config(signature_version=UNSIGNED)
    )


def sign_in(lab: Lab, **options: Any) -> dict[str, Any]:
    """The cache document of a sign-in at the lab."""
    defaults = {"start_url": ssologin.DEFAULT_START_URL, "region": "us-east-1", "user_name": None, "expires_in": None, "refreshable": True}
    return ssologin.sign_in(lab.endpoint, **{**defaults, **options})


def test_the_cache_key_is_botocores() -> None:
    from botocore.utils import SSOTokenLoader

    loader = SSOTokenLoader(cache={})
    assert ssologin.cache_key("https://x.awsapps.com/start", None) == loader._generate_cache_key("https://x.awsapps.com/start", None)
    assert ssologin.cache_key("https://x.awsapps.com/start", "lab") == loader._generate_cache_key("https://x.awsapps.com/start", "lab")


def test_get_role_credentials_gives_a_session_of_the_role(lab: Lab) -> None:
    token = sign_in(lab, user_name="alice@example.com")
    answer = unsigned(lab, "sso").get_role_credentials(roleName=ROLE, accountId="222222222222", accessToken=token["accessToken"])
    role = answer["roleCredentials"]
    assert role["accessKeyId"].startswith("ASIA")
    assert role["expiration"] > 1_000_000_000_000  # epoch milliseconds
    actor = Actor("sso", Credentials(role["accessKeyId"], role["secretAccessKey"], role["sessionToken"]))
    identity = lab.client(actor, "sts").get_caller_identity()
    assert identity["Arn"] == f"arn:aws:sts::222222222222:assumed-role/{ROLE}/alice@example.com"
    record = events_named(lab, "222222222222", "GetCallerIdentity")[-1]
    assert record["userIdentity"]["type"] == "AssumedRole"
    assert record["userIdentity"]["accessKeyId"] == role["accessKeyId"]


def test_the_portal_refuses_what_iam_identity_center_refuses(lab: Lab) -> None:
    sso = unsigned(lab, "sso")
    for bad in ["not-a-token", sign_in(lab, expires_in=-60)["accessToken"]]:
        with pytest.raises(ClientError) as refused:
            sso.get_role_credentials(roleName=ROLE, accountId="222222222222", accessToken=bad)
        assert refused.value.response["Error"]["Code"] == "UnauthorizedException"
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 401
    token = sign_in(lab)["accessToken"]
    with pytest.raises(ClientError) as forbidden:
        sso.get_role_credentials(roleName="NoSuchRole", accountId="222222222222", accessToken=token)
    assert forbidden.value.response["Error"]["Code"] == "ForbiddenException"


def test_a_permission_sets_reserved_role_answers_to_its_name(lab: Lab) -> None:
    iam = lab.client(admin(lab, 2), "iam")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "333333333333"}, "Action": "sts:AssumeRole"}]}
    iam.create_role(
        RoleName="AWSReservedSSO_Responder_0123456789abcdef",
        Path="/aws-reserved/sso.amazonaws.com/",
        AssumeRolePolicyDocument=json.dumps(trust),
    )
    token = sign_in(lab)["accessToken"]
    role = unsigned(lab, "sso").get_role_credentials(roleName="Responder", accountId="333333333333", accessToken=token)["roleCredentials"]
    identity = lab.client(Actor("r", Credentials(role["accessKeyId"], role["secretAccessKey"], role["sessionToken"])), "sts").get_caller_identity()
    assert ":assumed-role/AWSReservedSSO_Responder_0123456789abcdef/" in identity["Arn"]


def test_create_token_refreshes_and_rotates_the_refresh_token(lab: Lab) -> None:
    cached = sign_in(lab, expires_in=-60)
    oidc = unsigned(lab, "sso-oidc")
    fresh = oidc.create_token(
        clientId=cached["clientId"], clientSecret=cached["clientSecret"], grantType="refresh_token", refreshToken=cached["refreshToken"]
    )
    assert fresh["tokenType"] == "Bearer" and fresh["expiresIn"] > 0 and fresh["refreshToken"] != cached["refreshToken"]
    unsigned(lab, "sso").get_role_credentials(roleName=ROLE, accountId="222222222222", accessToken=fresh["accessToken"])
    with pytest.raises(ClientError) as spent:
        oidc.create_token(
            clientId=cached["clientId"], clientSecret=cached["clientSecret"], grantType="refresh_token", refreshToken=cached["refreshToken"]
        )
    assert spent.value.response["Error"]["Code"] == "InvalidGrantException"
    with pytest.raises(ClientError) as wrong_client:
        oidc.create_token(clientId=cached["clientId"], clientSecret="wrong", grantType="refresh_token", refreshToken=fresh["refreshToken"])
    assert wrong_client.value.response["Error"]["Code"] == "InvalidClientException"
    log = (Path(lab.state_dir) / "lab.log").read_text()
    for secret in (cached["accessToken"], cached["refreshToken"], cached["clientSecret"], fresh["accessToken"], fresh["refreshToken"]):
        assert secret not in log


def _caller_via_botocore(home: Path, profile: str) -> subprocess.CompletedProcess[str]:
    """botocore, the reference, resolving ``profile`` from ``home``'s files in a clean environment."""
    code = f"import boto3; print(boto3.Session(profile_name={profile!r}).client('sts').get_caller_identity()['Arn'])"
    return subprocess.run([sys.executable, "-c", code], env={**clean_environment(), "HOME": str(home)}, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("legacy", [False, True], ids=["sso-session", "legacy"])
def test_botocore_signs_in_with_the_helpers_files(lab: Lab, tmp_path: Path, legacy: bool) -> None:
    paths = ssologin.login(lab.endpoint, tmp_path, profile="responder", account_id="222222222222", role_name=ROLE, legacy=legacy)
    assert stat.S_IMODE(os.stat(paths["cache"]).st_mode) == 0o600
    config = Path(paths["config"]).read_text()
    assert ("[sso-session lab]" in config) != legacy
    result = _caller_via_botocore(tmp_path, "responder")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"arn:aws:sts::222222222222:assumed-role/{ROLE}/lab-sso-user"


def test_botocore_refreshes_an_expired_token_through_the_lab(lab: Lab, tmp_path: Path) -> None:
    paths = ssologin.login(lab.endpoint, tmp_path, profile="responder", account_id="222222222222", role_name=ROLE, expires_in=-60)
    before = json.loads(Path(paths["cache"]).read_text())
    result = _caller_via_botocore(tmp_path, "responder")
    assert result.returncode == 0, result.stderr
    after = json.loads(Path(paths["cache"]).read_text())
    assert after["accessToken"] != before["accessToken"] and after["refreshToken"] != before["refreshToken"]
    assert after["clientSecret"] == before["clientSecret"]


def test_the_helper_runs_from_the_command_line(lab: Lab, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "custodylab.ssologin", "--endpoint", lab.endpoint, "--home", str(tmp_path), "--profile", "p", "--account", "222222222222", "--role", ROLE],
        env={**clean_environment(), "PYTHONPATH": str(SCRIPTS)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    paths = json.loads(result.stdout)
    token = json.loads(Path(paths["cache"]).read_text())["accessToken"]
    assert token not in result.stdout
    assert Path(paths["cache"]).name == f"{ssologin.cache_key('', 'lab')}.json"


def test_assume_role_records_the_mfa_serial_and_code(lab: Lab) -> None:
    sts = lab.client(admin(lab, 0), "sts")
    serial = "arn:aws:iam::111111111111:mfa/lab-admin"
    sts.assume_role(RoleArn=f"arn:aws:iam::222222222222:role/{ROLE}", RoleSessionName="mfa-check", SerialNumber=serial, TokenCode="654321")
    record = [r for r in events_named(lab, "111111111111", "AssumeRole") if r["requestParameters"]["roleSessionName"] == "mfa-check"][-1]
    assert record["requestParameters"]["serialNumber"] == serial
    assert record["requestParameters"]["tokenCode"] == "654321"
