"""The lab's Organization: a management account, member accounts, their administrators.

Provisioning goes straight to moto's backends (before the lab serves), so
it leaves no CloudTrail records. Account ids are predictable on purpose:
``111111111111`` (management), ``222222222222``, ``333333333333`` ... and
past nine accounts ``1000000000NN``. Members get the
``OrganizationAccountAccessRole`` that Organizations creates, with
``AdministratorAccess`` attached as AWS attaches it; every account gets an
IAM user ``lab-admin`` with ``AdministratorAccess`` and one access key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from unittest import mock

from moto.iam.models import iam_backends
from moto.organizations import utils as organizations_utils
from moto.organizations.models import organizations_backends

ADMIN_USER = "lab-admin"
ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"
ORG_ROLE = "OrganizationAccountAccessRole"
HOME_REGION = "us-east-1"


@dataclass
class LabAccount:
    """One account of the lab and its administrator's credentials."""

    id: str
    name: str
    email: str
    admin_user: str
    admin_arn: str
    access_key_id: str
    secret_access_key: str = field(repr=False)

    @property
    def profile(self) -> str:
        """The AWS CLI profile name of this account."""
        return f"lab-{self.id}"


@dataclass
class LabOrganization:
    """The Organization and its accounts (the management account first)."""

    id: str
    accounts: list[LabAccount]

    @property
    def management(self) -> LabAccount:
        """The management account."""
        return self.accounts[0]


def account_ids(count: int) -> list[str]:
    """The predictable ids of ``count`` accounts."""
    if count <= 9:
        return [str(n) * 12 for n in range(1, count + 1)]
    return [str(n) * 12 for n in range(1, 10)] + [f"{100000000000 + n:012d}" for n in range(10, count + 1)]


def account_names(count: int) -> list[str]:
    """``management``, then ``member-1``, ``member-2`` ..."""
    return ["management"] + [f"member-{n}" for n in range(1, count)]


def provision(count: int) -> LabOrganization:
    """Create the Organization, its ``count`` accounts and their administrators."""
    if count < 1:
        raise ValueError("the lab needs at least one account")
    ids = account_ids(count)
    names = account_names(count)
    management = ids[0]
    organizations = organizations_backends[management]["aws"]
    organizations.create_organization(region=HOME_REGION, FeatureSet="ALL")
    for account_id, name in zip(ids[1:], names[1:]):
        with mock.patch.object(organizations_utils, "make_random_account_id", return_value=account_id):
            organizations.create_account(AccountName=name, Email=f"{name}@lab.example")
        iam_backends[account_id]["aws"].attach_role_policy(ADMIN_POLICY, ORG_ROLE)
    accounts = []
    for account_id, name in zip(ids, names):
        iam = iam_backends[account_id]["aws"]
        user = iam.create_user(region_name=HOME_REGION, user_name=ADMIN_USER, path="/")
        iam.attach_user_policy(ADMIN_POLICY, ADMIN_USER)
        key = iam.create_access_key(ADMIN_USER)
        accounts.append(
            LabAccount(
                id=account_id,
                name=name,
                email=f"{name}@lab.example",
                admin_user=ADMIN_USER,
                admin_arn=user.arn,
                access_key_id=key.access_key_id,
                secret_access_key=key.secret_access_key,
            )
        )
    return LabOrganization(id=organizations.org.id, accounts=accounts)
