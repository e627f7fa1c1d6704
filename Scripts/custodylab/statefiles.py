"""What a running lab writes to its state directory.

- ``lab.json``: the endpoint, the Organization, the accounts and their
  administrators' credentials (mode 0600: it holds secrets).
- ``aws/config`` and ``aws/credentials``: AWS CLI files with a profile
  ``lab-<account id>`` per account (with ``endpoint_url``), and for each
  member a profile ``lab-<account id>-org`` that assumes
  ``OrganizationAccountAccessRole`` from the management account.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from .accounts import HOME_REGION, ORG_ROLE, LabOrganization


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)


def lab_document(endpoint: str, organization: LabOrganization, state_dir: Path, options: dict[str, Any]) -> dict[str, Any]:
    """The content of ``lab.json``."""
    return {
        "format": "custody-lab",
        "version": 1,
        "endpoint": endpoint,
        "pid": os.getpid(),
        "defaultRegion": HOME_REGION,
        "awsConfigFile": str(state_dir / "aws" / "config"),
        "awsSharedCredentialsFile": str(state_dir / "aws" / "credentials"),
        "eventsJournal": str(state_dir / "events.jsonl"),
        "options": options,
        "organization": {"id": organization.id, "managementAccountId": organization.management.id},
        "accounts": [
            {
                "id": account.id,
                "name": account.name,
                "email": account.email,
                "profile": account.profile,
                "organizationAccountAccessRoleArn": (
                    None if account is organization.management else f"arn:aws:iam::{account.id}:role/{ORG_ROLE}"
                ),
                "administrator": {
                    "userName": account.admin_user,
                    "arn": account.admin_arn,
                    "accessKeyId": account.access_key_id,
                    "secretAccessKey": account.secret_access_key,
                },
            }
            for account in organization.accounts
        ],
        "labApi": {
            "flush": f"{endpoint}/lab-api/flush",
            "health": f"{endpoint}/lab-api/health",
            "instanceCredentials": f"{endpoint}/lab-api/instance-credentials",
            "clock": f"{endpoint}/lab-api/clock",
        },
    }


def aws_config(endpoint: str, organization: LabOrganization) -> str:
    """The AWS CLI ``config`` file."""
    session_suffix = str(int(time.time()))
    lines = []
    for account in organization.accounts:
        lines += [
            f"[profile {account.profile}]",
            f"region = {HOME_REGION}",
            "output = json",
            f"endpoint_url = {endpoint}",
            "",
        ]
    for account in organization.accounts[1:]:
        lines += [
            f"[profile {account.profile}-org]",
            f"role_arn = arn:aws:iam::{account.id}:role/{ORG_ROLE}",
            f"source_profile = {organization.management.profile}",
            # Unique per lab run: the AWS CLI caches role credentials by session name,
            # and a cached session from an earlier lab would be refused by this one.
            f"role_session_name = lab-org-admin-{session_suffix}",
            f"region = {HOME_REGION}",
            "output = json",
            f"endpoint_url = {endpoint}",
            "",
        ]
    return "\n".join(lines)


def aws_credentials(organization: LabOrganization) -> str:
    """The AWS CLI ``credentials`` file."""
    lines = []
    for account in organization.accounts:
        lines += [
            f"[{account.profile}]",
            f"aws_access_key_id = {account.access_key_id}",
            f"aws_secret_access_key = {account.secret_access_key}",
            "",
        ]
    return "\n".join(lines)


def write(state_dir: Path, endpoint: str, organization: LabOrganization, options: dict[str, Any]) -> None:
    """Write ``lab.json`` and the AWS CLI files into ``state_dir``."""
    state_dir.mkdir(parents=True, exist_ok=True)
    _write_private(state_dir / "aws" / "config", aws_config(endpoint, organization))
    _write_private(state_dir / "aws" / "credentials", aws_credentials(organization))
    document = lab_document(endpoint, organization, state_dir, options)
    # Written last, atomically: its presence means the rest is in place.
    temporary = state_dir / "lab.json.partial"
    _write_private(temporary, json.dumps(document, indent=2) + "\n")
    os.replace(temporary, state_dir / "lab.json")


def remove(state_dir: Path) -> None:
    """Remove ``lab.json`` when the lab stops, so nobody points at a dead endpoint."""
    try:
        (state_dir / "lab.json").unlink()
    except FileNotFoundError:
        pass
