"""Reading a running lab's state, and boto3 clients that act as someone, somewhere.

Used by the scenario and the tests. An :class:`Actor` is credentials plus
where the calls appear to come from: a source IP and, optionally, a VPC
endpoint, both sent in the lab-only headers that the lab's CloudTrail layer
reads (they are added after signing, so they are not part of the
signature), and a user agent.
"""

from __future__ import annotations

import collections
import hashlib
import json
import urllib.request
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import boto3
from botocore.config import Config
from botocore.handlers import generate_idempotent_uuid

SOURCE_IP_HEADER = "x-lab-source-ip"
VPC_ENDPOINT_HEADER = "x-lab-vpc-endpoint-id"


@dataclass(frozen=True)
class Credentials:
    """An access key pair, with a session token for temporary credentials."""

    access_key_id: str
    secret_access_key: str = field(repr=False)
    session_token: str | None = field(default=None, repr=False)

    @classmethod
    def from_response(cls, response: dict[str, Any]) -> "Credentials":
        """From a CreateAccessKey, AssumeRole, GetSessionToken or GetFederationToken response."""
        if "AccessKey" in response:
            key = response["AccessKey"]
            return cls(key["AccessKeyId"], key["SecretAccessKey"])
        if "Credentials" in response:
            creds = response["Credentials"]
            return cls(creds["AccessKeyId"], creds["SecretAccessKey"], creds.get("SessionToken"))
        if "AccessKeyId" in response and "Token" in response:  # instance metadata shape
            return cls(response["AccessKeyId"], response["SecretAccessKey"], response["Token"])
        raise ValueError("the response holds no credentials")


@dataclass(frozen=True)
class Actor:
    """Who makes calls, and from where they appear to come."""

    name: str
    credentials: Credentials
    source_ip: str | None = None
    vpc_endpoint_id: str | None = None
    user_agent: str | None = None

    def using(self, credentials: Credentials, **changes: Any) -> "Actor":
        """The same actor with other credentials (and any other field changed)."""
        return replace(self, credentials=credentials, **changes)


class Lab:
    """A running lab, as described by its ``lab.json``."""

    def __init__(self, state_dir: Path) -> None:  # noqa: D107
        self.state_dir = Path(state_dir)
        self.document = json.loads((self.state_dir / "lab.json").read_text())
        self.endpoint: str = self.document["endpoint"]
        # One boto3 session for every client: it caches the service models.
        self._session = boto3.session.Session()
        self._clients: dict[tuple[Any, ...], Any] = {}
        self._tokens: collections.Counter[str] = collections.Counter()

    @property
    def accounts(self) -> list[dict[str, Any]]:
        """The accounts, the management account first."""
        return self.document["accounts"]

    def account(self, which: int | str) -> dict[str, Any]:
        """An account by index, name or id."""
        if isinstance(which, int):
            return self.accounts[which]
        for account in self.accounts:
            if which in (account["id"], account["name"]):
                return account
        raise KeyError(f"no lab account {which!r}")

    def admin(self, which: int | str) -> Credentials:
        """The administrator credentials of an account."""
        admin = self.account(which)["administrator"]
        return Credentials(admin["accessKeyId"], admin["secretAccessKey"])

    def client(self, actor: Actor, service: str, region: str = "us-east-1", retries: int | None = None) -> Any:
        """A boto3 client for ``service`` acting as ``actor``."""
        creds = actor.credentials
        cache_key = (actor, service, region, retries)
        if cache_key in self._clients:
            return self._clients[cache_key]
        options: dict[str, Any] = {"s3": {"addressing_style": "path"}}
        if actor.user_agent:
            options["user_agent"] = actor.user_agent
        if retries is not None:
            options["retries"] = {"total_max_attempts": retries + 1, "mode": "standard"}
        client = self._session.client(
            service,
            region_name=region,
            endpoint_url=self.endpoint,
            aws_access_key_id=creds.access_key_id,
            aws_secret_access_key=creds.secret_access_key,
            aws_session_token=creds.session_token,
            config=Config(**options),
        )
        extra = {}
        if actor.source_ip:
            extra[SOURCE_IP_HEADER] = actor.source_ip
        if actor.vpc_endpoint_id:
            extra[VPC_ENDPOINT_HEADER] = actor.vpc_endpoint_id
        if extra:

            def add_headers(request: Any, **_: Any) -> None:
                for name, value in extra.items():
                    request.headers[name] = value

            client.meta.events.register("before-send", add_headers)
        seed = self.document.get("options", {}).get("seed")
        if seed is not None:
            # botocore fills idempotency tokens (ClientToken) with random UUIDs; a lab run with --seed
            # is to repeat byte for byte, so they are derived from the seed and the call instead (and
            # how many identical calls came before, so that a repeated call is still a new one).
            client.meta.events.unregister("before-parameter-build", generate_idempotent_uuid)

            def idempotency_token(params: dict[str, Any], model: Any, **_: Any) -> None:
                for name in model.idempotent_members:
                    if name not in params:
                        call = json.dumps([seed, creds.access_key_id, region, model.name, params], sort_keys=True, default=str)
                        self._tokens[call] += 1
                        text = f"{call}|{self._tokens[call]}"
                        params[name] = str(uuid.UUID(bytes=hashlib.sha256(text.encode()).digest()[:16], version=4))

            client.meta.events.register("before-parameter-build", idempotency_token)

            def sorted_features(request: Any, **_: Any) -> None:
                # botocore lists the features a client used (`m/a,b,c`) in a set's order, which
                # changes with the process's hash seed; the User-Agent header is not signed.
                agent = request.headers.get("User-Agent")
                text = agent.decode() if isinstance(agent, bytes) else agent
                if text and " m/" in f" {text}":
                    parts = [
                        "m/" + ",".join(sorted(part[2:].split(","))) if part.startswith("m/") else part
                        for part in text.split(" ")
                    ]
                    request.headers["User-Agent"] = " ".join(parts)

            client.meta.events.register("before-send", sorted_features)
        self._clients[cache_key] = client
        return client

    def _lab_api(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        data = json.dumps(body).encode() if body is not None else (b"" if method == "POST" else None)
        request = urllib.request.Request(f"{self.endpoint}{path}", data=data, method=method)
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def flush(self) -> dict[str, int]:
        """Deliver pending CloudTrail log files (of the records visible by now) and digests now."""
        return self._lab_api("POST", "/lab-api/flush")

    def events(self, account_id: str | None = None, visible: bool = False) -> list[dict[str, Any]]:
        """The records kept so far (of one account), oldest first; with ``visible`` only those LookupEvents shows now."""
        params = {"account": account_id} if account_id else {}
        if visible:
            params["visible"] = "1"
        query = f"?{urlencode(params)}" if params else ""
        return self._lab_api("GET", f"/lab-api/events{query}")["Records"]

    def clock(self) -> dict[str, Any]:
        """The lab's time: ``{"now", "epoch", "logical", "step", "eventDelay"}``."""
        return self._lab_api("GET", "/lab-api/clock")

    def advance_clock(self, seconds: int) -> dict[str, Any]:
        """Move the lab's logical clock ``seconds`` forward (only with ``Scripts/lab --clock``)."""
        return self._lab_api("POST", "/lab-api/clock", {"advance": seconds})

    def step_clock(self) -> None:
        """After a scenario step: move a logical clock by the lab's step; nothing on the real clock."""
        options = self.document.get("options", {})
        if options.get("clock") and options.get("clockStep"):
            self.advance_clock(int(options["clockStep"]))

    def instance_credentials(self, account_id: str, region: str, instance_id: str) -> Credentials:
        """The role credentials EC2 would deliver to ``instance_id``."""
        answer = self._lab_api(
            "POST", "/lab-api/instance-credentials", {"accountId": account_id, "region": region, "instanceId": instance_id}
        )
        return Credentials.from_response(answer)
