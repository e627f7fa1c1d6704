"""The few places where the lab patches moto, each for a stated reason.

1. ``IAMRequestBase.check_signature`` does nothing: the lab's layer has
   already verified the signature strictly (``sigv4``), and moto's own
   check wrongly refuses signed GET requests with an empty body.
2. ``create_access_key`` (moto's lookup of the caller's key) also knows the
   lab's temporary credentials, so moto authorises their calls with the
   policies of the IAM user who obtained them.
3. ``check_action_permitted`` also applies a federation token's session
   policies: the caller gets the intersection with the user's policies.
4. STS ``GetSessionToken``, ``GetFederationToken`` and ``GetCallerIdentity``
   issue and describe real temporary credentials instead of moto's fixed
   examples.
5. IAM users, groups and instance profiles get unique ids shaped like
   AWS's (``AIDA…``, ``AGPA…``, ``AIPA…``) instead of moto's lowercase
   random strings, since CloudTrail's ``principalId`` carries them.
6. ``sts:AssumeRole`` checks the trust policy of the role in the role's own
   account (moto looks in the caller's account, so it never checks a
   cross-account trust), refuses roles that do not exist, and matches
   principals as AWS does: an account id or its ``:root`` ARN admits every
   principal of that account, a role ARN admits that role's sessions, and a
   ``Service`` principal admits no API caller (moto crashes on one). A
   trust statement whose principal or condition does not match is neutral,
   not a deny (moto denies, so a second statement could never admit anyone).
7. Authorisation can be skipped for the current thread (``setup_mode``):
   the lab uses it for the management administrator's setup calls that
   carry moto's ``x-moto-account-id`` header, which moto would otherwise
   refuse because the caller's key does not live in the target account.
8. moto's request ids (``x-amzn-RequestId``, ``<RequestId>``) can be set
   for the current thread (``request_id``): with ``--seed`` the lab gives
   each call a derived id and moto answers with the same one.

9. CloudTrail's ``DescribeTrails`` (and ``GetTrailStatus``, which reads it) in a
   member account of an Organization also lists the Organization's organization
   trails, as AWS shows them there (read-only to the member); moto lists
   only the account's own.

With ``--clock`` (``install_clock``), for reproducible runs:

10. moto's time is the lab's logical clock: ``moto.core.utils.utcnow``
   (whose code is replaced, so every module that imported it follows), and
   the ``datetime.now`` that S3 buckets and GuardDuty detectors read.
11. Access key and role "last used" marks, which moto writes on every
   call, reads included, become visible once the clock has moved past the
   call (AWS too updates them with a delay). Otherwise a collector's
   parallel reads would leave whichever read came last as the "last use",
   a race that would show in its evidence. Marks made at the same time are
   applied in a fixed order (by service, then region).

With ``--seed`` (``install_seed``):

12. A service's backend for an account and region, which moto makes on
   first use (EC2's makes the default VPC, subnets and security group),
   draws its ids from a generator seeded by the seed, service, account and
   region, and leaves the calling request's generator as it was. Which
   call happens to come first, and what else it makes on the way (moto
   makes backends of other accounts too), then changes no id.

``install()`` applies them once; nothing else in the lab touches moto's
internals except the read-only lookups in ``principals`` and ``delivery``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import string
import threading
import types
from typing import Any, Iterator

from moto.core import responses as core_responses
from moto.core.authorization import ActionAuthenticatorMixin
from moto.cloudtrail.models import CloudTrailBackend, cloudtrail_backends
from moto.core.responses import ActionResult
from moto.iam import access_control
from moto.iam.access_control import IAMPolicy, IAMPolicyStatement, IAMRequestBase, IAMUserAccessKey, PermissionResult
from moto.iam.exceptions import NotFoundException
from moto.iam.utils import REQUIRE_RESOURCE_ACCESS_POLICIES_CHECK, format_incoming_conditional_values
from moto.iam.models import Group, InstanceProfile, User, iam_backends
from moto.iam.responses import IamResponse
from moto.sts.exceptions import STSClientError, STSValidationError
from moto.sts.responses import TokenResponse

from . import timefmt
from .credentials import DEFAULT_DURATION, MAX_DURATION, MIN_DURATION, STORE, TemporaryCredential, new_session_token

_installed = False
_setup = threading.local()


@contextlib.contextmanager
def setup_mode() -> Iterator[None]:
    """Within this block, moto authorises nothing on this thread (the lab already did)."""
    _setup.active = True
    try:
        yield
    finally:
        _setup.active = False


def _authenticate_and_authorize_action(self: Any, iam_request_cls: type, resource: str = "*") -> None:
    if getattr(_setup, "active", False):
        return
    _original_authenticate_and_authorize_action(self, iam_request_cls, resource)


class LabSessionAccessKey(IAMUserAccessKey):
    """moto's view of a lab-issued credential: the IAM user's policies, the session's ARN."""

    def __init__(self, account_id: str, partition: str, credential: TemporaryCredential) -> None:  # noqa: D107
        # IAMUserAccessKey.__init__ searches users' long-term keys; set its fields directly.
        self.account_id = account_id
        self.partition = partition
        self._owner_user_name = credential.user_name
        self._access_key_id = credential.access_key_id
        self._secret_access_key = credential.secret_access_key
        self.credential = credential

    @property
    def arn(self) -> str:  # noqa: D102
        if self.credential.kind == "federation":
            return self.credential.federated_arn
        return super().arn


def _create_access_key(account_id: str, partition: str, access_key_id: str, headers: dict[str, str]) -> Any:
    credential = STORE.get(access_key_id)
    if credential is not None:
        return LabSessionAccessKey(account_id, partition, credential)
    return _original_create_access_key(account_id, partition, access_key_id, headers)


def _check_action_permitted(self: IAMRequestBase, resource: str) -> None:
    key = self._access_key
    policies = getattr(getattr(key, "credential", None), "session_policies", None)
    if policies is not None and self._action != "sts:GetCallerIdentity":
        allowed = False
        for document in policies:
            result = IAMPolicy(document).is_action_permitted(self._action, resource)
            if result == PermissionResult.DENIED:
                self._raise_access_denied()
            allowed = allowed or result == PermissionResult.PERMITTED
        if not allowed:
            self._raise_access_denied()
    _original_check_action_permitted(self, resource)


def _role_by_arn(arn: str) -> Any:
    parts = arn.split(":")
    if len(parts) < 6:
        return None
    try:
        return iam_backends[parts[4]]["aws"].get_role_by_arn(arn)
    except NotFoundException:
        return None


def _is_assuming_role_operation(self: IAMRequestBase, resource_arn: str) -> bool:
    return ":role/" in resource_arn and self._action in REQUIRE_RESOURCE_ACCESS_POLICIES_CHECK


def _check_role_trust_relationship(self: IAMRequestBase, role_arn: str) -> bool:
    role = _role_by_arn(role_arn)
    if role is None:
        return False  # AWS answers AccessDenied for a role that does not exist
    policy = IAMPolicy(role.assume_role_policy_document)
    result = policy.is_action_permitted(
        self._action, role_arn, self._access_key.arn, format_incoming_conditional_values(self._data)
    )
    return result == PermissionResult.PERMITTED


def _check_principal(self: IAMPolicyStatement, principal: str) -> bool:
    expected = self._statement.get("Principal")
    if not expected:
        return True
    if expected == "*":
        return True
    admitted = expected.get("AWS") if isinstance(expected, dict) else None
    if admitted is None:
        return False  # Service and Federated principals admit no API caller
    parts = principal.split(":")
    account = parts[4] if len(parts) > 4 else ""
    session_role = None
    if ":assumed-role/" in principal:
        session_role = f"arn:aws:iam::{account}:role/{principal.split('/')[1]}"
    for value in admitted if isinstance(admitted, list) else [admitted]:
        if value in ("*", account, f"arn:aws:iam::{account}:root", principal, session_role):
            return True
    return False


def _statement_is_action_permitted(
    self: IAMPolicyStatement,
    action: str,
    resource: str = "*",
    principal: str | None = None,
    incoming_condition_values: dict[str, str] | None = None,
) -> PermissionResult:
    if principal is None:  # an identity policy: moto's evaluation stands
        return _original_statement_is_action_permitted(self, action, resource, principal, incoming_condition_values)
    if "NotAction" in self._statement:
        concerned = not self._check_element_matches("NotAction", action)
    else:
        concerned = self._check_element_matches("Action", action)
    if not concerned or not self._check_principal(principal) or not self._check_conditions(incoming_condition_values):
        return PermissionResult.NEUTRAL
    return PermissionResult.PERMITTED if self._statement.get("Effect") == "Allow" else PermissionResult.DENIED


def _duration(response: TokenResponse) -> int:
    duration = response._get_int_param("DurationSeconds", DEFAULT_DURATION)
    if not MIN_DURATION <= duration <= MAX_DURATION:
        raise STSValidationError(
            f"1 validation error detected: Value '{duration}' at 'durationSeconds' failed to satisfy constraint: "
            f"Member must have value between {MIN_DURATION} and {MAX_DURATION}"
        )
    return duration


def _calling_user(response: TokenResponse, operation: str) -> Any:
    backend = iam_backends[response.current_account]["aws"]
    user = backend.get_user_from_access_key_id(response.get_access_key())
    if user is None:
        raise STSClientError("AccessDenied", f"Cannot call {operation} with session credentials")
    return user


def _issue(response: TokenResponse, kind: str, user: Any, duration: int, **extra: Any) -> TemporaryCredential:
    backend = iam_backends[response.current_account]["aws"]
    key = backend.create_temp_access_key()
    issued = timefmt.utcnow()
    credential = TemporaryCredential(
        kind=kind,
        account_id=response.current_account,
        access_key_id=key.access_key_id,
        secret_access_key=key.secret_access_key,
        session_token=new_session_token(),
        user_name=user.name,
        issued=issued,
        expiration=issued + _dt.timedelta(seconds=duration),
        **extra,
    )
    STORE.add(credential)
    return credential


def _credentials_result(credential: TemporaryCredential) -> dict[str, Any]:
    return {
        "AccessKeyId": credential.access_key_id,
        "SecretAccessKey": credential.secret_access_key,
        "SessionToken": credential.session_token,
        "Expiration": credential.expiration.replace(tzinfo=None),
    }


def get_session_token(self: TokenResponse) -> ActionResult:
    """GetSessionToken: real credentials acting as the calling IAM user."""
    duration = _duration(self)
    user = _calling_user(self, "GetSessionToken")
    credential = _issue(self, "session-token", user, duration)
    return ActionResult({"Credentials": _credentials_result(credential)})


def get_federation_token(self: TokenResponse) -> ActionResult:
    """GetFederationToken: real credentials of a federated user, limited by the session policies."""
    duration = _duration(self)
    user = _calling_user(self, "GetFederationToken")
    name = self._get_param("Name")
    if not name or not 2 <= len(name) <= 32:
        raise STSValidationError(
            f"1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: "
            "Member must have length between 2 and 32"
        )
    documents = []
    if self._get_param("Policy"):
        documents.append(self._get_param("Policy"))
    backend = iam_backends[self.current_account]["aws"]
    for key, value in self.querystring.items():
        if key.startswith("PolicyArns.member.") and key.endswith(".arn"):
            policy = backend.managed_policies.get(value[0])
            if policy is not None:
                documents.append(next(v.document for v in policy.versions if v.is_default))
    credential = _issue(self, "federation", user, duration, federated_name=name, session_policies=documents)
    packed = min(100, max(1, sum(len(d) for d in documents) // 20)) if documents else 0
    return ActionResult(
        {
            "Credentials": _credentials_result(credential),
            "FederatedUser": {
                "FederatedUserId": f"{self.current_account}:{name}",
                "Arn": credential.federated_arn,
            },
            "PackedPolicySize": packed,
        }
    )


def get_caller_identity(self: TokenResponse) -> ActionResult:
    """GetCallerIdentity that also knows the lab's temporary credentials."""
    credential = STORE.get(self.get_access_key())
    if credential is None:
        return _original_get_caller_identity(self)
    if credential.kind == "federation":
        result = {
            "UserId": f"{credential.account_id}:{credential.federated_name}",
            "Account": credential.account_id,
            "Arn": credential.federated_arn,
        }
    else:
        user = iam_backends[credential.account_id]["aws"].get_user(credential.user_name)
        result = {"UserId": user.id, "Account": credential.account_id, "Arn": user.arn}
    return ActionResult(result)


def list_service_specific_credentials(self: Any) -> ActionResult:
    """ListServiceSpecificCredentials, which moto lacks (it answers HTTP 500).

    moto cannot create service-specific credentials either, so every user truly has none: the
    lab answers with the empty list AWS gives such a user, after checking that the user exists.
    """
    user_name = self._get_param("UserName")
    if user_name:
        self.backend.get_user(user_name)  # NoSuchEntity for an unknown user, as in AWS
    return ActionResult({"ServiceSpecificCredentials": []})


def _aws_shaped_ids(cls: type, prefix: str) -> None:
    from moto.moto_api._internal import mock_random  # reseeded per call with --seed

    original = cls.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.id = prefix + "".join(mock_random.choices(string.ascii_uppercase + string.digits, k=17))

    cls.__init__ = init


_original_create_access_key = access_control.create_access_key
_original_gen_amzn_requestid_long = core_responses.gen_amzn_requestid_long
_original_check_action_permitted = IAMRequestBase.check_action_permitted
_original_get_caller_identity = TokenResponse.get_caller_identity
_original_statement_is_action_permitted = IAMPolicyStatement.is_action_permitted
_original_authenticate_and_authorize_action = ActionAuthenticatorMixin._authenticate_and_authorize_action


_request_id = threading.local()


@contextlib.contextmanager
def request_id(value: str | None) -> Iterator[None]:
    """Within this block, moto answers with request id ``value`` on this thread (None: its own)."""
    _request_id.value = value
    try:
        yield
    finally:
        _request_id.value = None


def _gen_amzn_requestid_long(headerdict: dict[str, Any] | None = None) -> str:
    value = getattr(_request_id, "value", None)
    if value is None:
        return _original_gen_amzn_requestid_long(headerdict)
    if isinstance(headerdict, dict):
        headerdict["x-amzn-requestid"] = value
    return value


# --clock ---------------------------------------------------------------------


def _moto_utcnow() -> _dt.datetime:
    # Runs as moto.core.utils.utcnow (its code object is swapped in), so this name is looked up in
    # moto.core.utils' globals, where install_clock puts it.
    return _lab_moto_now()  # noqa: F821


class _LabDatetime(_dt.datetime):
    """``datetime.datetime`` whose ``now`` is the lab's clock (for modules moto wrote with ``datetime.now``)."""

    @classmethod
    def now(cls, tz: _dt.tzinfo | None = None) -> "_LabDatetime":  # noqa: D102
        from .labclock import CLOCK

        moment = CLOCK.now()
        if tz is None:  # naive, and UTC whatever the machine's zone: moto means UTC
            return cls.fromtimestamp(moment.timestamp(), _dt.timezone.utc).replace(tzinfo=None)
        return cls.fromtimestamp(moment.timestamp(), tz)


def _datetime_module() -> types.ModuleType:
    module = types.ModuleType("datetime")
    module.__dict__.update(_dt.__dict__)
    module.datetime = _LabDatetime
    return module


@dataclasses.dataclass(frozen=True, order=True)
class _Mark:
    moment: _dt.datetime
    account_id: str
    access_key: str
    service: str
    region: str


_marks: list[_Mark] = []
_marks_lock = threading.Lock()


def _mark_account_as_visited(account_id: str, access_key: str, service: str, region: str) -> None:
    from moto.core.utils import utcnow

    with _marks_lock:
        _marks.append(_Mark(utcnow(), account_id, access_key, str(service), str(region)))


def apply_last_used() -> None:
    """Make visible the last-used marks of calls made before the clock's current time.

    Called with the lab's lock held, before each call reaches moto.
    """
    from moto.core.utils import utcnow
    from moto.iam.models import AccessKeyLastUsed
    from moto.utilities.utils import get_partition

    now = utcnow()
    with _marks_lock:
        due = sorted(m for m in _marks if m.moment < now)
        if not due:
            return
        _marks[:] = [m for m in _marks if m.moment >= now]
    for mark in due:
        account = iam_backends[mark.account_id][get_partition(mark.region)]
        key = account.access_keys.get(mark.access_key)
        if key is None:
            continue
        key.last_used = AccessKeyLastUsed(timestamp=mark.moment, service=mark.service, region=mark.region)
        if key.role_arn:
            try:
                account.get_role_by_arn(key.role_arn).last_used = mark.moment
            except NotFoundException:
                pass


_seed_installed = False


def install_seed(seed: int) -> None:
    """Make moto's lazily created backends independent of the call that creates them; idempotent."""
    global _seed_installed
    if _seed_installed:
        return
    import hashlib

    from moto.core.base_backend import AccountSpecificBackend
    from moto.moto_api._internal import mock_random

    original = AccountSpecificBackend.__getitem__

    def getitem(self: Any, region_name: str) -> Any:
        if region_name in self.keys() or (region_name == "global" and "aws" in self.keys()):
            return original(self, region_name)
        saved = mock_random.getstate()
        name = f"{seed}|backend|{self.service_name}|{self.account_id}|{region_name}"
        mock_random.seed(int.from_bytes(hashlib.sha256(name.encode()).digest()[:16], "big"))
        try:
            return original(self, region_name)
        finally:
            mock_random.setstate(saved)

    AccountSpecificBackend.__getitem__ = getitem
    _seed_installed = True


_clock_installed = False


def install_clock() -> None:
    """Put moto on the lab's logical clock (``--clock``); idempotent."""
    global _clock_installed
    if _clock_installed:
        return
    import moto.core.utils as moto_utils
    import moto.guardduty.models as guardduty_models
    import moto.iam.models as iam_models
    import moto.s3.models as s3_models

    from .labclock import CLOCK

    moto_utils._lab_moto_now = lambda: CLOCK.now().replace(tzinfo=None)
    moto_utils.utcnow.__code__ = _moto_utcnow.__code__
    s3_models.datetime = _datetime_module()  # Bucket.creation_date reads datetime.datetime.now
    guardduty_models.datetime = _LabDatetime  # Detector's createdAt reads datetime.now()
    iam_models.mark_account_as_visited = _mark_account_as_visited
    _clock_installed = True


def install() -> None:
    """Apply the patches (idempotent)."""
    global _installed
    if _installed:
        return
    IAMRequestBase.check_signature = lambda self: None  # verified by the lab's layer (sigv4.verify)
    access_control.create_access_key = _create_access_key
    IAMRequestBase.check_action_permitted = _check_action_permitted
    TokenResponse.get_session_token = get_session_token
    TokenResponse.get_federation_token = get_federation_token
    TokenResponse.get_caller_identity = get_caller_identity
    IamResponse.list_service_specific_credentials = list_service_specific_credentials
    IAMRequestBase._is_assuming_role_operation = _is_assuming_role_operation
    IAMRequestBase._check_role_trust_relationship = _check_role_trust_relationship
    IAMPolicyStatement._check_principal = _check_principal
    IAMPolicyStatement.is_action_permitted = _statement_is_action_permitted
    ActionAuthenticatorMixin._authenticate_and_authorize_action = _authenticate_and_authorize_action
    core_responses.gen_amzn_requestid_long = _gen_amzn_requestid_long
    _aws_shaped_ids(User, "AIDA")
    _aws_shaped_ids(Group, "AGPA")
    _aws_shaped_ids(InstanceProfile, "AIPA")
    CloudTrailBackend.describe_trails = _describe_trails
    _installed = True


_moto_describe_trails = CloudTrailBackend.describe_trails


def _describe_trails(self, include_shadow_trails: bool):
    """moto's trails of the account, and in a member account its Organization's organization trails too."""
    found = list(_moto_describe_trails(self, include_shadow_trails))
    if not include_shadow_trails:
        return found
    from .delivery import organization_of

    organization = organization_of(self.account_id)
    if organization is None or organization[1] == self.account_id:
        return found
    for backend in list(dict.values(cloudtrail_backends[organization[1]])):
        for trail in list(backend.trails.values()):
            if trail.is_org_trail and trail.region_name == backend.region_name and trail not in found:
                if trail.is_multi_region or trail.region_name == self.region_name:
                    found.append(trail)
    return found
