"""Temporary credentials that the lab issues itself.

moto answers GetSessionToken and GetFederationToken with fixed example
credentials that its own authentication then refuses. The lab issues real
ones instead (see ``mothooks``): an access key id registered in the
caller's account, a fresh secret and session token, and what CloudTrail
needs to name the identity later. The store also remembers when each
AssumeRole session began, which moto does not keep.
"""

from __future__ import annotations

import base64
import datetime as _dt
import secrets
import threading
from dataclasses import dataclass, field

from . import timefmt

#: GetSessionToken and GetFederationToken accept 15 minutes to 36 hours.
MIN_DURATION = 900
MAX_DURATION = 129600
DEFAULT_DURATION = 43200


@dataclass
class TemporaryCredential:
    """Credentials from GetSessionToken (``session-token``) or GetFederationToken (``federation``)."""

    kind: str
    account_id: str
    access_key_id: str
    secret_access_key: str = field(repr=False)
    session_token: str = field(repr=False)
    user_name: str = ""
    issued: _dt.datetime = field(default_factory=timefmt.utcnow)
    expiration: _dt.datetime = field(default_factory=timefmt.utcnow)
    federated_name: str | None = None
    #: Session policies of a federation token; permissions are their
    #: intersection with the user's. ``[]`` means no permissions at all.
    session_policies: list[str] | None = field(default=None, repr=False)

    @property
    def federated_arn(self) -> str:
        """``arn:aws:sts::<account>:federated-user/<name>``."""
        return f"arn:aws:sts::{self.account_id}:federated-user/{self.federated_name}"


def new_session_token() -> str:
    """A random opaque session token, shaped like AWS's (base64, a few hundred characters)."""
    return "IQoJb3JpZ2luX2VjE" + base64.b64encode(secrets.token_bytes(240)).decode()


class CredentialStore:
    """Thread-safe registry of lab-issued temporary credentials and session start times."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._credentials: dict[str, TemporaryCredential] = {}
        self._issued: dict[str, _dt.datetime] = {}
        self._instance_sessions: set[str] = set()

    def add(self, credential: TemporaryCredential) -> None:
        """Register ``credential`` so that requests signed with it authenticate."""
        with self._lock:
            self._credentials[credential.access_key_id] = credential
            self._issued[credential.access_key_id] = credential.issued

    def get(self, access_key_id: str) -> TemporaryCredential | None:
        """The lab-issued credential with ``access_key_id``, if any."""
        with self._lock:
            return self._credentials.get(access_key_id)

    def note_issued(self, access_key_id: str, moment: _dt.datetime, *, instance: bool = False) -> None:
        """Remember when an AssumeRole session began (and whether EC2 delivered it)."""
        with self._lock:
            self._issued.setdefault(access_key_id, moment)
            if instance:
                self._instance_sessions.add(access_key_id)

    def issued_at(self, access_key_id: str) -> _dt.datetime | None:
        """When the session of ``access_key_id`` began, if the lab saw it begin."""
        with self._lock:
            return self._issued.get(access_key_id)

    def is_instance_session(self, access_key_id: str) -> bool:
        """True when ``access_key_id`` was delivered to an EC2 instance."""
        with self._lock:
            return access_key_id in self._instance_sessions


#: The one store of the running lab (moto's hooks need to reach it).
STORE = CredentialStore()
