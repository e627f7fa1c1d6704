"""Fixtures for the lab's tests: a lab process on 127.0.0.1, started and stopped here.

``lab`` is one lab for the whole session (4 accounts); tests that need a
clean Organization (the scenario) start their own with ``start_lab``. Each
lab binds a free port on 127.0.0.1 and keeps its state in a temporary
directory. Stopping one sends SIGTERM and checks that it exits 0 and
removes its ``lab.json``.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "Scripts"
sys.path.insert(0, str(SCRIPTS))

from custodylab.client import Actor, Credentials, Lab  # noqa: E402

READY_TIMEOUT = 90.0

#: Tests that run the AWS CLI (``pip install awscli``) or the openssl CLI skip without them.
requires_aws_cli = pytest.mark.skipif(shutil.which("aws") is None, reason="the aws CLI is not installed")
requires_openssl = pytest.mark.skipif(shutil.which("openssl") is None, reason="the openssl CLI is not installed")


def clean_environment() -> dict[str, str]:
    """The environment without any AWS setting that could reach a real account."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MOTO_"))}


class LabProcess:
    """A running ``Scripts/lab`` and the :class:`Lab` view of it."""

    def __init__(self, state: Path, accounts: int, extra: list[str]) -> None:
        self.state = state
        self.log = open(state.parent / f"{state.name}.stderr", "w+")
        self.process = subprocess.Popen(
            [sys.executable, str(SCRIPTS / "lab"), "--state", str(state), "--port", "0", "--accounts", str(accounts), *extra],
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            env=clean_environment(),
        )
        self.ready_line = self._wait_ready()
        self.lab = Lab(state)

    def _wait_ready(self) -> str:
        assert self.process.stdout is not None
        readable, _, _ = select.select([self.process.stdout], [], [], READY_TIMEOUT)
        line = self.process.stdout.readline() if readable else ""
        if not line.startswith("lab ready at http://127.0.0.1:"):
            self.process.kill()
            self.log.seek(0)
            raise RuntimeError(f"the lab did not start: {line!r}\n{self.log.read()}")
        return line.strip()

    def stop(self) -> int:
        """SIGTERM, then wait; returns the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode


@pytest.fixture(scope="session")
def start_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., LabProcess]]:
    """A factory of labs; every lab it starts is stopped (and checked) at the end."""
    started: list[LabProcess] = []

    def start(accounts: int = 3, extra: list[str] | None = None) -> LabProcess:
        state = tmp_path_factory.mktemp("lab") / "state"
        process = LabProcess(state, accounts, extra or [])
        started.append(process)
        return process

    yield start
    for process in started:
        status = process.stop()
        assert status == 0, f"the lab exited with {status}"
        assert not (process.state / "lab.json").exists(), "the lab left its lab.json behind"


@pytest.fixture(scope="session")
def lab_process(start_lab: Callable[..., LabProcess]) -> LabProcess:
    """The session's shared lab: four accounts, AWS's LookupEvents rate."""
    return start_lab(accounts=4)


@pytest.fixture(scope="session")
def lab(lab_process: LabProcess) -> Lab:
    """The shared lab's client view."""
    return lab_process.lab


def admin(lab: Lab, account: int, source_ip: str = "192.0.2.1", **kwargs: Any) -> Actor:
    """The administrator of lab account ``account`` as an actor."""
    return Actor(f"admin-{account}", lab.admin(account), source_ip=source_ip, **kwargs)


def lookup(client: Any, **params: Any) -> dict[str, Any]:
    """LookupEvents, waiting out the 2-per-second throttle instead of failing."""
    for _ in range(40):
        try:
            return client.lookup_events(**params)
        except client.exceptions.ClientError as error:
            if error.response["Error"]["Code"] != "ThrottlingException":
                raise
            time.sleep(0.3)
    raise AssertionError("LookupEvents stayed throttled")


def events_named(lab: Lab, account_id: str, name: str) -> list[dict[str, Any]]:
    """The records of ``account_id`` with eventName ``name``, oldest first."""
    return [r for r in lab.events(account_id) if r["eventName"] == name]


#: The Organization-wide lab of the organization trail, Athena and Lake tests.
ORG_TRAIL = "org-trail"
ORG_TRAIL_HOME = "us-east-1"
ORG_SUBJECT_REGIONS = ("us-east-1", "eu-west-1")


@pytest.fixture(scope="session")
def org_lab(start_lab: Callable[..., LabProcess]) -> dict[str, Any]:
    """A three-account lab with an organization trail and an organization event data store, then one key's activity.

    The management account (index 0) owns a multi-region organization trail
    with log file validation, delivering to a bucket of the logging account
    (index 2), and an organization event data store; then a user of member
    account 1 makes calls with its own key in two regions, and everything is
    delivered.
    """
    process = start_lab(accounts=3)
    lab = process.lab
    management, member, logging_account = admin(lab, 0), admin(lab, 1), admin(lab, 2)
    bucket = f"org-trail-logs-{os.getpid()}"
    lab.client(logging_account, "s3", ORG_TRAIL_HOME).create_bucket(Bucket=bucket)
    cloudtrail = lab.client(management, "cloudtrail", ORG_TRAIL_HOME)
    trail = cloudtrail.create_trail(
        Name=ORG_TRAIL, S3BucketName=bucket, IsMultiRegionTrail=True, IsOrganizationTrail=True, EnableLogFileValidation=True
    )
    cloudtrail.start_logging(Name=ORG_TRAIL)
    store = cloudtrail.create_event_data_store(Name="org-events", OrganizationEnabled=True, MultiRegionEnabled=True)
    iam = lab.client(member, "iam")
    iam.create_user(UserName="subject")
    iam.attach_user_policy(UserName="subject", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    key = iam.create_access_key(UserName="subject")["AccessKey"]

    subject = Actor("subject", Credentials(key["AccessKeyId"], key["SecretAccessKey"]), source_ip="203.0.113.9")
    lab.client(subject, "sts").get_caller_identity()
    lab.client(subject, "iam").list_users()
    for region in ORG_SUBJECT_REGIONS:
        lab.client(subject, "ec2", region).describe_instances()
    lab.client(subject, "s3").list_buckets()
    lab.client(management, "iam").list_roles()
    lab.flush()
    lab.client(subject, "iam").list_groups()
    lab.flush()
    organization_id = lab.client(management, "organizations").describe_organization()["Organization"]["Id"]
    return {
        "process": process,
        "lab": lab,
        "bucket": bucket,
        "trail_arn": trail["TrailARN"],
        "organization_id": organization_id,
        "management": management,
        "member": member,
        "logging": logging_account,
        "subject_key": key["AccessKeyId"],
        "event_data_store": store["EventDataStoreArn"],
        "accounts": [a["id"] for a in lab.accounts],
    }


def recorded(process: LabProcess) -> list[dict[str, Any]]:
    """Every record the lab wrote to its ``events.jsonl``."""
    import json

    return [json.loads(line) for line in (process.state / "events.jsonl").read_text().splitlines() if line.strip()]


def undeclared_members(client: Any, operation: str, document: Any) -> list[str]:
    """Paths in ``document`` (a raw JSON response of ``operation``) that botocore's output shape does not declare."""
    shape = client.meta.service_model.operation_model(operation).output_shape
    problems: list[str] = []

    def walk(shape: Any, value: Any, path: str) -> None:
        if shape is None or value is None:
            return
        if shape.type_name == "structure":
            for key, item in value.items():
                if key not in shape.members:
                    problems.append(f"{path}.{key}")
                else:
                    walk(shape.members[key], item, f"{path}.{key}")
        elif shape.type_name == "list":
            for index, item in enumerate(value):
                walk(shape.member, item, f"{path}[{index}]")
        elif shape.type_name == "map":
            for key, item in value.items():
                walk(shape.value, item, f"{path}.{key}")

    walk(shape, document, operation)
    return problems


def raw_responses(client: Any) -> list[tuple[str, Any]]:
    """A list that fills with (operation, raw JSON body) of every call ``client`` makes from now on."""
    import json

    seen: list[tuple[str, Any]] = []

    def keep(http_response: Any, model: Any, **_: Any) -> None:
        if http_response.status_code == 200 and http_response.content:
            seen.append((model.name, json.loads(http_response.content)))

    client.meta.events.register("after-call", keep)
    return seen
