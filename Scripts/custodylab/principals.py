"""Who an access key belongs to, and how CloudTrail names them.

Resolution looks through every account's IAM users' keys, moto's STS
AssumeRole sessions and the lab's own temporary credentials. The result
carries the secret needed to check the signature (never printed: it is
excluded from ``repr``) and renders the CloudTrail ``userIdentity``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from moto.iam.models import iam_backends
from moto.sts.models import sts_backends

from . import timefmt
from .credentials import STORE, TemporaryCredential


@dataclass
class Principal:
    """The identity behind an access key, as CloudTrail describes it."""

    type: str
    account_id: str
    access_key_id: str
    arn: str
    principal_id: str
    secret: str = field(repr=False)
    token: str | None = field(default=None, repr=False)
    user_name: str | None = None
    session_name: str | None = None
    issuer: dict[str, str] | None = None
    created: _dt.datetime | None = None
    expiration: _dt.datetime | None = None
    active: bool = True
    ec2_role_delivery: bool = False
    temporary: TemporaryCredential | None = field(default=None, repr=False)

    @property
    def is_session(self) -> bool:
        """True for temporary credentials (a session token is required)."""
        return self.token is not None

    @property
    def lookup_username(self) -> str | None:
        """The ``Username`` that LookupEvents shows and filters on."""
        if self.type == "IAMUser":
            return self.user_name
        if self.type == "FederatedUser":
            return self.temporary.federated_name if self.temporary else None
        return self.session_name

    def user_identity(self) -> dict[str, Any]:
        """The CloudTrail ``userIdentity`` element for this principal."""
        identity: dict[str, Any] = {
            "type": self.type,
            "principalId": self.principal_id,
            "arn": self.arn,
            "accountId": self.account_id,
            "accessKeyId": self.access_key_id,
        }
        if self.type == "IAMUser":
            identity["userName"] = self.user_name
        if self.is_session:
            context: dict[str, Any] = {
                "sessionIssuer": dict(self.issuer or {}),
                "webIdFederationData": {},
                "attributes": {
                    "creationDate": timefmt.iso_z(self.created or timefmt.utcnow()),
                    "mfaAuthenticated": "false",
                },
            }
            if self.ec2_role_delivery:
                context["ec2RoleDelivery"] = "2.0"
            identity["sessionContext"] = context
        return identity


def _iam_accounts() -> list[tuple[str, Any]]:
    return [(account_id, per_partition["aws"]) for account_id, per_partition in list(iam_backends.items())]


def resolve(access_key_id: str) -> Principal | None:
    """The principal owning ``access_key_id``, or None when no account knows the key."""
    for account_id, backend in _iam_accounts():
        key = backend.access_keys.get(access_key_id)
        if key is None:
            continue
        if key.user_name:
            return _user_principal(account_id, backend, key)
        temporary = STORE.get(access_key_id)
        if temporary is not None:
            return _temporary_principal(backend, temporary)
        if key.role_arn:
            return _role_principal(account_id, backend, access_key_id)
    return None


def _user_principal(account_id: str, backend: Any, key: Any) -> Principal | None:
    user = backend.users.get(key.user_name)
    if user is None or key not in user.access_keys:
        return None
    return Principal(
        type="IAMUser",
        account_id=account_id,
        access_key_id=key.access_key_id,
        arn=user.arn,
        principal_id=user.id,
        secret=key.secret_access_key,
        user_name=user.name,
        active=key.status == "Active",
    )


def _temporary_principal(backend: Any, credential: TemporaryCredential) -> Principal | None:
    user = backend.users.get(credential.user_name)
    if user is None:
        return None  # the user is gone, and its sessions with it
    common = dict(
        account_id=credential.account_id,
        access_key_id=credential.access_key_id,
        secret=credential.secret_access_key,
        token=credential.session_token,
        created=credential.issued,
        expiration=credential.expiration,
        temporary=credential,
    )
    if credential.kind == "federation":
        return Principal(
            type="FederatedUser",
            arn=credential.federated_arn,
            principal_id=f"{credential.account_id}:{credential.federated_name}",
            issuer={
                "type": "IAMUser",
                "principalId": user.id,
                "arn": user.arn,
                "accountId": credential.account_id,
                "userName": user.name,
            },
            **common,
        )
    return Principal(
        type="IAMUser",
        arn=user.arn,
        principal_id=user.id,
        user_name=user.name,
        issuer={},
        **common,
    )


def _role_principal(account_id: str, backend: Any, access_key_id: str) -> Principal | None:
    sessions = sts_backends[account_id]["aws"].assumed_roles
    session = next((s for s in sessions if s.access_key_id == access_key_id), None)
    if session is None:
        return None
    role_name = session.role_arn.split("/")[-1]
    role = next((r for r in backend.roles.values() if r.arn == session.role_arn), None)
    role_id = role.id if role is not None else "AROA" + "0" * 17
    return Principal(
        type="AssumedRole",
        account_id=account_id,
        access_key_id=access_key_id,
        arn=session.arn,
        principal_id=f"{role_id}:{session.session_name}",
        secret=session.secret_access_key,
        token=session.session_token,
        session_name=session.session_name,
        issuer={
            "type": "Role",
            "principalId": role_id,
            "arn": session.role_arn,
            "accountId": account_id,
            "userName": role_name,
        },
        created=STORE.issued_at(access_key_id),
        expiration=session.expiration.replace(tzinfo=timefmt.UTC) if session.expiration.tzinfo is None else session.expiration,
        ec2_role_delivery=STORE.is_instance_session(access_key_id),
    )
